using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using Xunit;

namespace IdentityHub.Tests.Tenancy;

/// <summary>The one set of tenant rules the seed, the admin API and the command line share.</summary>
public sealed class TenantSettingsTests
{
    private static TenantSettings Valid => new("Acme", "fr-CA", new PasswordPolicyOptions { Preset = "nist", MinLength = 16 }, null,
        new Dictionary<string, string> { ["change_freeze"] = "false" });

    [Fact]
    public void ValidSettings_HaveNoProblem() => Assert.Empty(Valid.Check());

    [Fact]
    public void UnknownPreset_And_ContradictoryLengths_NameThePasswordPolicy_WithTheReason()
    {
        var lax = (Valid with { PasswordPolicy = new PasswordPolicyOptions { Preset = "lax" } }).Check().Single();
        var contradictory = (Valid with { PasswordPolicy = new PasswordPolicyOptions { MinLength = 20, MaxLength = 10 } }).Check().Single();

        Assert.Equal((HubField.PasswordPolicy, "invalid_password_policy"), (lax.Field, lax.Rules[0]));
        Assert.Contains("lax", (string)lax.Context!["error"]!);
        Assert.Equal(HubField.PasswordPolicy, contradictory.Field);
    }

    [Fact]
    public void UnparsableCedar_IsAPoliciesError_WithLineAndColumn()
    {
        var error = (Valid with { Policies = "permit (principal,\n action == ;" }).Check().Single();

        Assert.Equal((HubErrorCode.InvalidPolicies, HubField.Policies, "parse_error"), (error.Code, error.Field, error.Rules[0]));
        Assert.Equal(2, error.Context!["line"]);
    }

    [Theory]
    [InlineData("", "en", "k", HubField.TenantName, "required")]
    [InlineData("Acme", "xx-notalocale", "k", HubField.DefaultLocale, "invalid_locale")]
    [InlineData("Acme", "en", " ", HubField.Attributes, "blank_key")]
    public void OtherFields_AreNamedWithTheirReason(string name, string locale, string attribute, HubField field, string reason)
    {
        var error = new TenantSettings(name, locale, new PasswordPolicyOptions(), "", new Dictionary<string, string> { [attribute] = "v" }).Check().Single();

        Assert.Equal((field, reason), (error.Field, error.Rules[0]));
    }

    [Fact]
    public void ApplyTo_StoresBlankPoliciesAsTheDefaultSet_AndCopiesTheAttributes()
    {
        var tenant = new Tenant();
        var attributes = new Dictionary<string, string> { ["a"] = "1" };

        new TenantSettings(" Acme ", "en", new PasswordPolicyOptions(), "  ", attributes).ApplyTo(tenant);
        attributes["a"] = "2";

        Assert.Equal(("Acme", (string?)null, "1"), (tenant.Name, tenant.Policies, tenant.Attributes["a"]));
    }
}
