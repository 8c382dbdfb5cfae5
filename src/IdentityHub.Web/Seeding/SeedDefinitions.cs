using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Seeding;

/// <summary>
/// The seed's tenants and clients in the shapes the admin API and command line also write
/// (<see cref="TenantSettings"/>, <see cref="ClientDefinition"/>), so that both are checked and stored by one set of rules.
/// </summary>
internal static class SeedDefinitions
{
    public static TenantSettings ToSettings(this SeedTenant tenant) =>
        new(tenant.Name, tenant.DefaultLocale, tenant.PasswordPolicy, tenant.Policies, tenant.RequireVerifiedEmailForReset
            ? new Dictionary<string, string>(tenant.Attributes) { [Tenant.RequireVerifiedEmailForResetAttribute] = "true" }
            : tenant.Attributes);

    public static ClientDefinition ToDefinition(this SeedClient client) => new()
    {
        ClientId = client.ClientId,
        DisplayName = client.DisplayName,
        TenantId = client.TenantId,
        IsPublic = string.IsNullOrEmpty(client.ClientSecret),
        GrantTypes = client.GrantTypes,
        RedirectUris = client.RedirectUris,
        PostLogoutRedirectUris = client.PostLogoutRedirectUris,
        Scopes = client.Scopes,
        Resources = client.Resources,
        AllowedOrigins = client.AllowedOrigins,
        BackchannelLogoutUri = string.IsNullOrEmpty(client.BackchannelLogoutUri) ? null : client.BackchannelLogoutUri,
        BackchannelLogoutSessionRequired = client.BackchannelLogoutSessionRequired,
        StepUp = client.StepUp,
        RequireConsent = client.RequireConsent,
        RequirePkce = client.RequirePkce,
        Admin = client.Admin,
    };

    /// <summary>True when the seed defines the tenant: configuration owns it (see README, "Administration").</summary>
    public static bool Defines(this SeedOptions seed, Guid tenantId) => seed.Tenants.Any(t => t.Id == tenantId);

    /// <summary>True when the seed defines the client: configuration owns it.</summary>
    public static bool Defines(this SeedOptions seed, string clientId) => seed.Clients.Any(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));
}
