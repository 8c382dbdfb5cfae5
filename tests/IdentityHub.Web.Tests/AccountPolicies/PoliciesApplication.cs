using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.AccountPolicies;

/// <summary>A host whose tenants carry the kinds of Cedar policies operators write.</summary>
public sealed class PoliciesApplication : HubApplication
{
    public static readonly Guid Frozen = Guid.Parse("20000000-0000-4000-8000-000000000001");
    public static readonly Guid FreshStepUp = Guid.Parse("20000000-0000-4000-8000-000000000002");
    public static readonly Guid NoContractors = Guid.Parse("20000000-0000-4000-8000-000000000003");
    public static readonly Guid Broken = Guid.Parse("20000000-0000-4000-8000-000000000004");
    public const string AdminClient = "test-admin";
    public const string AdminSecret = "test-admin-secret-0123456789";

    /// <summary>A client allowed the admin scope and client credentials, but not configured as an administrator.</summary>
    public const string NotAdminClient = "test-not-admin";

    /// <summary>
    /// An administrator client that also allows the password grant with the admin scope: its client-credentials tokens
    /// pass, its users' tokens (even with the admin scope) never do.
    /// </summary>
    public const string AdminWithUsersClient = "test-admin-with-users";

    public const string SelfService = """
        @id("self-service")
        permit (principal, action == Action::"ChangePassword", resource) when { resource.owner == principal };
        """;

    public static string ClientOf(Guid tenant) => $"cli-{tenant:N}";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var tenants = new[]
        {
            (Frozen, "Frozen", SelfService + """
                @id("change-freeze")
                @notice("Password changes are frozen until the audit ends.")
                @notice_fr("Les changements de mot de passe sont gelés jusqu'à la fin de l'audit.")
                forbid (principal, action == Action::"ChangePassword", resource) when { principal.tenant.change_freeze };
                """, new Dictionary<string, string> { ["change_freeze"] = "true" }),
            (FreshStepUp, "Fresh", SelfService + """
                @id("recent-authentication")
                @notice("Sign in again: your last sign-in is more than a minute old.")
                forbid (principal, action == Action::"ChangePassword", resource) when { context.step_up_age_seconds > 60 };
                """, new Dictionary<string, string>()),
            (NoContractors, "Contractors", SelfService + """
                @id("no-contractors")
                @notice("Contractor accounts are managed by your agency.")
                forbid (principal, action == Action::"ChangePassword", resource) when { principal.email like "*@contractors.test" };
                """, new Dictionary<string, string>()),
            (Broken, "Broken", SelfService + """
                @id("broken-forbid")
                @notice("A broken rule blocks changes.")
                forbid (principal, action == Action::"ChangePassword", resource) when { principal.no_such_attribute == 1 };
                """, new Dictionary<string, string>()),
        };
        settings["Seed"] = new
        {
            Tenants = new object[]
            {
                new { Id = TestData.TenantA, Name = "Acme" },
            }.Concat(tenants.Select(t => (object)new { Id = t.Item1, Name = t.Item2, Policies = t.Item3, Attributes = t.Item4 })).ToArray(),
            Clients = tenants.Select(t => (object)new
            {
                ClientId = ClientOf(t.Item1), ClientSecret = TestData.CliSecret, TenantId = t.Item1,
                GrantTypes = new[] { "password" }, StepUp = true, Scopes = new[] { "openid", "account" },
            }).Append(new
            {
                ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, TenantId = TestData.TenantA,
                GrantTypes = new[] { "password", "refresh_token" }, StepUp = true, Scopes = new[] { "openid", "offline_access", "account" },
            }).Append(new
            {
                ClientId = AdminClient, ClientSecret = AdminSecret, TenantId = (Guid?)null,
                GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = true,
            }).Append(new
            {
                ClientId = NotAdminClient, ClientSecret = AdminSecret, TenantId = (Guid?)null,
                GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = false,
            }).Append(new
            {
                ClientId = AdminWithUsersClient, ClientSecret = AdminSecret, TenantId = (Guid?)TestData.TenantA,
                GrantTypes = new[] { "password", "client_credentials" }, StepUp = true, Scopes = new[] { "openid", "admin" }, Admin = true,
            }).ToArray(),
        };
    }
}
