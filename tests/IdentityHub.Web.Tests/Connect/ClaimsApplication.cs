using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// A host whose seeded users have roles and locales, whose clients may ask for every claim scope, and with one
/// operator-defined claim scope (<c>staff</c>: role and locale).
/// </summary>
public sealed class ClaimsApplication : HubApplication
{
    public const string StaffScope = "staff";
    public const string AllScopes = "openid profile email roles staff offline_access";
    public const string AliceB = "alice@acme.test";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        string[] scopes = ["openid", "profile", "email", "roles", StaffScope, "offline_access", "account"];
        settings["Server"] = new { AllowInsecureHttp = true, ScopeClaims = new Dictionary<string, string[]> { [StaffScope] = ["role", "locale"] } };
        settings["Seed"] = new
        {
            Tenants = new object[]
            {
                new
                {
                    Id = TestData.TenantA, Name = "Acme",
                    Users = new object[]
                    {
                        new { Email = "alice@acme.test", Password = TestData.StrongPassword, DisplayName = "Alice", Locale = "en-GB", Roles = new[] { "auditor", "admin" }, EmailVerified = true },
                        new { Email = "bob@acme.test", Password = TestData.StrongPassword },
                    },
                },
                new
                {
                    Id = TestData.TenantB, Name = "Globex",
                    Users = new object[] { new { Email = AliceB, Password = TestData.OtherStrongPassword, Roles = new[] { "globex-viewer" } } },
                },
            },
            Clients = new object[]
            {
                new
                {
                    ClientId = TestData.SpaClient, GrantTypes = new[] { "authorization_code", "refresh_token" },
                    RedirectUris = new[] { TestData.SpaRedirectUri }, Scopes = scopes,
                },
                new
                {
                    ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, TenantId = TestData.TenantA,
                    GrantTypes = new[] { "password", "refresh_token" }, Scopes = scopes,
                },
                new
                {
                    ClientId = TestData.TenantBClient, ClientSecret = TestData.TenantBSecret, TenantId = TestData.TenantB,
                    GrantTypes = new[] { "password" }, Scopes = scopes,
                },
            },
        };
    }
}
