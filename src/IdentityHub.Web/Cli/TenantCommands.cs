using IdentityHub.Administration;
using System.CommandLine;
using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.Web.Administration;

namespace IdentityHub.Web.Cli;

/// <summary>
/// <c>tenants list|show|create|update</c>: the admin API's tenant endpoints for the operator on the box
/// (<see cref="TenantAdminService"/>), audited as client <c>cli</c>. Exit codes 0 done, 1 refused (not found, managed by
/// configuration, the database), 2 bad input (a password policy that does not resolve, Cedar text that does not parse).
/// </summary>
internal static class TenantCommands
{
    private static readonly Argument<Guid> Id = new("id") { Description = "The tenant's UUID" };
    private static readonly Option<string> NewName = new("--name") { Description = "Display name", Required = true };
    private static readonly Option<string> Name = new("--name") { Description = "Display name" };
    private static readonly Option<Guid?> NewId = new("--id") { Description = "The new tenant's UUID (generated when absent)" };
    private static readonly Option<string> Locale = new("--default-locale") { Description = "Default BCP 47 locale (en when absent)" };
    private static readonly Option<string> Policy = new("--password-policy")
    {
        Description = """Password policy as JSON, a preset plus overrides: '{"preset": "nist", "min_length": 16}' (replaces the stored one)""",
    };
    private static readonly Option<FileInfo> PoliciesFile = new("--policies-file") { Description = "A file holding the tenant's Cedar policies (an empty file: the default set)" };
    private static readonly Option<string[]> Attributes = AdminCommand.Repeatable("--attribute", "A tenant attribute the policies read, key=value (repeat the option; the set given replaces the stored one)");

    public static Command Create()
    {
        var list = new Command("list", "List the tenants");
        list.SetAction((parse, ct) => AdminCommand.RunAsync(parse,
            async (services, c) => HubResult<TenantList>.Ok(await services.GetRequiredService<TenantAdminService>().ListAsync(AdminActor.Cli(), c)),
            tenants => string.Join(Environment.NewLine, tenants.Tenants.Select(t => $"{t.Id}  {t.Name}  {t.DefaultLocale}  ({t.ManagedBy})")), ct));

        var show = new Command("show", "Show one tenant") { Id };
        show.SetAction((parse, ct) => AdminCommand.RunAsync(parse,
            (services, c) => services.GetRequiredService<TenantAdminService>().GetAsync(AdminActor.Cli(), parse.GetValue(Id), c), Describe, ct));

        var create = new Command("create", "Create a tenant") { NewId, NewName, Locale, Policy, PoliciesFile, Attributes };
        create.SetAction((parse, ct) => RunWithSettingsAsync(parse, (services, settings, c) =>
            services.GetRequiredService<TenantAdminService>().CreateAsync(AdminActor.Cli(),
                new TenantCreate(parse.GetValue(NewId), settings.Name, settings.DefaultLocale, settings.PasswordPolicy, settings.Policies, settings.Attributes), c), ct));

        var update = new Command("update", "Change a tenant: each option given replaces the stored value") { Id, Name, Locale, Policy, PoliciesFile, Attributes };
        update.SetAction((parse, ct) => RunWithSettingsAsync(parse, (services, settings, c) =>
            services.GetRequiredService<TenantAdminService>().UpdateAsync(AdminActor.Cli(), parse.GetValue(Id), settings, c), ct));

        return new Command("tenants", "Administer tenants (as the admin API's /v1/admin/tenants)") { list, show, create, update };
    }

    /// <summary>Reads the settings options (bad JSON, an unreadable file or a malformed attribute: exit 2), then runs the action.</summary>
    private static Task<int> RunWithSettingsAsync(ParseResult parse, Func<IServiceProvider, TenantChanges, CancellationToken, Task<HubResult<TenantView>>> action, CancellationToken cancellationToken)
    {
        JsonElement? policy = null;
        if (parse.GetValue(Policy) is { } json)
        {
            try
            {
                policy = JsonDocument.Parse(json).RootElement.Clone();
            }
            catch (JsonException exception)
            {
                return Task.FromResult(AdminCommand.BadInput(parse, HubField.PasswordPolicy, "malformed_json", exception.Message));
            }
        }
        string? policies = null;
        if (parse.GetValue(PoliciesFile) is { } file)
        {
            if (!file.Exists)
            {
                return Task.FromResult(AdminCommand.BadInput(parse, HubField.Policies, "file_not_found", file.FullName));
            }
            policies = File.ReadAllText(file.FullName);
        }
        Dictionary<string, string>? attributes = null;
        if (AdminCommand.ListOf(parse, Attributes) is { } pairs)
        {
            attributes = [];
            foreach (var pair in pairs)
            {
                if (pair.Split('=', 2) is not [var key, var value])
                {
                    return Task.FromResult(AdminCommand.BadInput(parse, HubField.Attributes, "must_be_key_value", pair));
                }
                attributes[key] = value;
            }
        }
        var changes = new TenantChanges(parse.GetValue(NewName) ?? parse.GetValue(Name), parse.GetValue(Locale), policy, policies, attributes);
        return AdminCommand.RunAsync(parse, (services, ct) => action(services, changes, ct), Describe, cancellationToken);
    }

    private static string Describe(TenantView tenant) => string.Join(Environment.NewLine,
        $"id: {tenant.Id}", $"name: {tenant.Name}", $"default_locale: {tenant.DefaultLocale}", $"password_policy: {tenant.PasswordPolicy}",
        $"policies: {(tenant.Policies is null ? "(default)" : tenant.Policies.Trim())}",
        AdminCommand.Line("attributes", tenant.Attributes.Select(a => $"{a.Key}={a.Value}")), $"managed_by: {tenant.ManagedBy}");
}
