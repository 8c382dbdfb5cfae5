using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SessionStampsLifetimesAndKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastUsedAt",
                table: "Sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "Sessions",
                type: "TEXT",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            // Sessions from before this migration: a password change since their start revoked them or (the page's
            // "keep my other sessions") kept them, so the user's current stamp is the right one; their last use was not
            // recorded, and the latest known is their last sign-in or re-authentication.
            migrationBuilder.Sql(
                """
                UPDATE "Sessions" SET
                    "SecurityStamp" = COALESCE((SELECT "SecurityStamp" FROM "AspNetUsers" WHERE "AspNetUsers"."Id" = "Sessions"."UserId"), ''),
                    "LastUsedAt" = "AuthenticatedAt";
                """);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Sessions");
        }
    }
}
