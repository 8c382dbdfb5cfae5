using IdentityHub.Passwords;
using IdentityHub.AccountPolicies;
using IdentityHub.Cedar;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Seeding;

/// <summary>
/// The seed rules data annotations cannot state: a tenant's id, its password policy (whose rules span fields) and its
/// Cedar policies, and the clients' URIs. Runs when the host starts, before any migration or seeding, so a wrong entry
/// leaves the database untouched; each failure names its key.
/// </summary>
internal sealed class SeedOptionsValidator(IHostEnvironment environment) : IValidateOptions<SeedOptions>
{
    private const string Section = "IdentityHub:Seed";

    public ValidateOptionsResult Validate(string? name, SeedOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Tenants.Count; i++)
        {
            CheckTenant(options.Tenants[i], $"{Section}:Tenants:{i}", failures);
        }
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            CheckAbsoluteUris(client.RedirectUris, $"{Section}:Clients:{i}:RedirectUris", failures);
            CheckAbsoluteUris(client.PostLogoutRedirectUris, $"{Section}:Clients:{i}:PostLogoutRedirectUris", failures);
            CheckOrigins(client.AllowedOrigins, $"{Section}:Clients:{i}:AllowedOrigins", failures);
            CheckBackchannelLogoutUri(client.BackchannelLogoutUri, $"{Section}:Clients:{i}:BackchannelLogoutUri", failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTenant(SeedTenant tenant, string key, List<string> failures)
    {
        if (tenant.Id == Guid.Empty)
        {
            failures.Add($"{key}:Id: every tenant needs an Id (a UUID).");
        }
        try
        {
            // Fails, with the reason, for an unknown preset or contradictory values.
            PasswordPolicy.Resolve(tenant.PasswordPolicy);
        }
        catch (ArgumentException exception)
        {
            failures.Add($"{key}:PasswordPolicy: {exception.Message}");
        }
        try
        {
            AccountPolicyService.Parse(tenant.Policies);
        }
        catch (CedarParseException exception)
        {
            failures.Add($"{key}:Policies: the Cedar policies of tenant {tenant.Id} do not parse: {exception.Message}");
        }
        for (var i = 0; i < tenant.Users.Count; i++)
        {
            var user = tenant.Users[i];
            if (user.Roles.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{key}:Users:{i}:Roles: a role needs a name.");
            }
            if (!string.IsNullOrEmpty(user.Password) && !string.IsNullOrEmpty(user.PasswordHash))
            {
                failures.Add($"{key}:Users:{i}: give Password or PasswordHash, not both.");
            }
            if (user.Invite && (!string.IsNullOrEmpty(user.Password) || !string.IsNullOrEmpty(user.PasswordHash)))
            {
                failures.Add($"{key}:Users:{i}: an invited user (Invite) chooses their password; give no Password or PasswordHash.");
            }
            if (!string.IsNullOrEmpty(user.PasswordHash) && !IdentityV3Hash.IsWellFormed(user.PasswordHash))
            {
                failures.Add($"{key}:Users:{i}:PasswordHash: not an ASP.NET Core Identity v3 password hash (base64 of 0x01, PRF, iterations, salt length, salt of 16 bytes or more, subkey of 16 bytes or more).");
            }
        }
    }

    private static void CheckAbsoluteUris(List<string> uris, string key, List<string> failures)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            if (!Uri.TryCreate(uris[i], UriKind.Absolute, out _))
            {
                failures.Add($"{key}:{i}: '{uris[i]}' is not an absolute URI.");
            }
        }
    }

    /// <summary>
    /// Absolute, http(s), no fragment (Back-Channel Logout 1.0, section 2.2), no user info (a credential in
    /// configuration would be sent with every token); https outside Development, where the token crosses networks.
    /// </summary>
    private void CheckBackchannelLogoutUri(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            failures.Add($"{key}: '{value}' is not an absolute http(s) URI without a fragment or user info.");
        }
        else if (uri.Scheme != "https" && !environment.IsDevelopment())
        {
            failures.Add($"{key}: '{value}' must use https outside Development (the environment is {environment.EnvironmentName}).");
        }
    }

    private static void CheckOrigins(List<string> origins, string key, List<string> failures)
    {
        for (var i = 0; i < origins.Count; i++)
        {
            if (!ClientOrigins.IsExactOrigin(origins[i]))
            {
                failures.Add($"{key}:{i}: '{origins[i]}' is not an exact origin (scheme://host[:port] in lower case, no path, wildcard or null).");
            }
        }
    }
}
