using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TenantPolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Attributes",
                table: "Tenants",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Policies",
                table: "Tenants",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Attributes",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "Policies",
                table: "Tenants");
        }
    }
}
