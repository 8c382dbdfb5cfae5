using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Migrations.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class PasswordChangeReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ReceiptId",
                table: "Outbox",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PasswordChangeReceipts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Initiator = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SessionsEnded = table.Column<int>(type: "integer", nullable: false),
                    AuthorizationsRevoked = table.Column<long>(type: "bigint", nullable: false),
                    TokensRevoked = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PasswordChangeReceipts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_ReceiptId",
                table: "Outbox",
                column: "ReceiptId");

            migrationBuilder.CreateIndex(
                name: "IX_PasswordChangeReceipts_UserId_ChangedAt",
                table: "PasswordChangeReceipts",
                columns: new[] { "UserId", "ChangedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PasswordChangeReceipts");

            migrationBuilder.DropIndex(
                name: "IX_Outbox_ReceiptId",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ReceiptId",
                table: "Outbox");
        }
    }
}
