using System.Globalization;
using IdentityHub.AccountPolicies;
using IdentityHub.Cedar;
using IdentityHub.Errors;
using IdentityHub.Passwords;

namespace IdentityHub.Tenancy;

/// <summary>
/// What an operator sets on a tenant: its name, default locale, password policy, Cedar policies and attributes. One
/// set of rules (<see cref="Check"/>) for every way a tenant is written: the seed (checked at start) and the admin API
/// and command line (checked per request), so that nothing stored can fail to resolve or parse later.
/// </summary>
/// <param name="Name">Display name; required, at most <see cref="MaxNameLength"/> characters.</param>
/// <param name="DefaultLocale">A BCP 47 culture name .NET knows, such as <c>en</c> or <c>fr-CA</c>.</param>
/// <param name="PasswordPolicy">A preset plus overrides; must resolve (<see cref="Passwords.PasswordPolicy.Resolve"/>).</param>
/// <param name="Policies">Cedar policies for account actions; null or blank keeps the default set. Must parse.</param>
/// <param name="Attributes">Attributes the policies read as the <c>Tenant</c> entity's; keys must not be blank.</param>
public sealed record TenantSettings(
    string Name, string DefaultLocale, PasswordPolicyOptions PasswordPolicy, string? Policies, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The longest tenant name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The settings a stored tenant has.</summary>
    public static TenantSettings Of(Tenant tenant) =>
        new(tenant.Name, tenant.DefaultLocale, tenant.PasswordPolicy, tenant.Policies, tenant.Attributes);

    /// <summary>
    /// Every problem of these settings, each naming its field and a reason: <c>required</c>, <c>too_long</c>,
    /// <c>invalid_locale</c>, <c>invalid_password_policy</c> (with the reason in <see cref="HubError.Context"/>),
    /// <c>parse_error</c> (with line and column) or <c>blank_key</c>. Empty when they may be stored.
    /// </summary>
    public IReadOnlyList<HubError> Check()
    {
        var errors = new List<HubError>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.TenantName, ["required"]));
        }
        else if (Name.Length > MaxNameLength)
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.TenantName, ["too_long"]));
        }
        if (!IsKnownCulture(DefaultLocale))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.DefaultLocale, ["invalid_locale"]));
        }
        try
        {
            Passwords.PasswordPolicy.Resolve(PasswordPolicy);   // an unknown preset or contradictory values, with the reason
        }
        catch (ArgumentException exception)
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.PasswordPolicy, ["invalid_password_policy"])
            {
                Context = new Dictionary<string, object?> { ["error"] = exception.Message },
            });
        }
        try
        {
            AccountPolicyService.Parse(Policies);
        }
        catch (CedarParseException exception)
        {
            errors.Add(new HubError(HubErrorCode.InvalidPolicies, HubField.Policies, ["parse_error"])
            {
                Context = new Dictionary<string, object?> { ["line"] = exception.Line, ["column"] = exception.Column, ["error"] = exception.Message },
            });
        }
        if (Attributes.Keys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.Attributes, ["blank_key"]));
        }
        return errors;
    }

    /// <summary>Writes these settings onto <paramref name="tenant"/> (blank policies are stored as none: the default set).</summary>
    public void ApplyTo(Tenant tenant)
    {
        tenant.Name = Name.Trim();
        tenant.DefaultLocale = DefaultLocale;
        tenant.PasswordPolicy = PasswordPolicy;
        tenant.Policies = string.IsNullOrWhiteSpace(Policies) ? null : Policies;
        tenant.Attributes = new Dictionary<string, string>(Attributes);
    }

    private static bool IsKnownCulture(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true) is { Name.Length: > 0 };
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
