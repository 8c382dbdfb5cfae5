using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Seeding;

/// <summary>
/// The seed rules data annotations cannot state: a tenant's id, its password policy (whose rules span fields) and its
/// Cedar policies (<see cref="Tenancy.TenantSettings"/>), and the clients (<see cref="ClientRules"/>: URIs,
/// origins, grant types, scopes), by the same rules as the admin API. Runs when the host starts, before any migration or seeding, so a wrong entry
/// leaves the database untouched; each failure names its key.
/// </summary>
internal sealed class SeedOptionsValidator(ClientRules clients) : IValidateOptions<SeedOptions>
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
            // The admin API's rules (ClientRules), each problem under its seed key.
            foreach (var error in clients.Check(options.Clients[i].ToDefinition()))
            {
                var index = error.Context?.GetValueOrDefault("index") is int entry ? $":{entry}" : "";
                failures.Add($"{Section}:Clients:{i}:{error.Field}{index}: {ClientRules.Describe(error)}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTenant(SeedTenant tenant, string key, List<string> failures)
    {
        if (tenant.Id == Guid.Empty)
        {
            failures.Add($"{key}:Id: every tenant needs an Id (a UUID).");
        }
        // The admin API's rules (TenantSettings), each problem under its seed key.
        foreach (var error in tenant.ToSettings().Check())
        {
            var detail = error.Context?.GetValueOrDefault("error");
            failures.Add(error.Field switch
            {
                HubField.PasswordPolicy => $"{key}:PasswordPolicy: {detail}",
                HubField.Policies => $"{key}:Policies: the Cedar policies of tenant {tenant.Id} do not parse: {detail}",
                HubField.TenantName => $"{key}:Name: {error.Rules[0]}",
                var field => $"{key}:{field}: {error.Rules[0]}",
            });
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
}
