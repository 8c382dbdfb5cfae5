using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class CommonPasswordListTests
{
    [Fact]
    public void Embedded_list_has_at_least_ten_thousand_entries()
    {
        Assert.True(CommonPasswordList.Default.Count >= 10_000, $"only {CommonPasswordList.Default.Count} entries");
        Assert.Same(CommonPasswordList.Default, CommonPasswordList.Default);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD")]
    [InlineData("Password")]
    [InlineData("password1")]
    [InlineData("Password1")]
    [InlineData("qwerty")]
    [InlineData("123456")]
    [InlineData("iloveyou")]
    [InlineData("ｐａｓｓｗｏｒｄ")] // NFKC before lookup
    public void Contains_is_exact_and_case_insensitive(string password) => Assert.True(CommonPasswordList.Default.Contains(password));

    [Theory]
    [InlineData("password!x")]
    [InlineData("xpassword")]
    [InlineData("MyNewSecureP4ssw0rd!")]
    [InlineData("")]
    public void Contains_does_not_match_variants(string password) => Assert.False(CommonPasswordList.Default.Contains(password));

    [Theory]
    [InlineData("password", true)]
    [InlineData("Password1!", true)] // trimmed: "Password"
    [InlineData("Password!", true)] // "password!" is itself on the list
    [InlineData("!Dragon2024!", true)] // trimmed: "Dragon"
    [InlineData("123monkey", true)]
    [InlineData("  letmein  ", true)]
    [InlineData("Passw0rd", true)] // on the list itself
    [InlineData("!!abc1", false)] // remainder "abc" is shorter than 4
    [InlineData("Pass-word", false)] // decorations inside are left alone
    [InlineData("Correct-Horse-Battery-9", false)]
    [InlineData("MyNewSecureP4ssw0rd!", false)]
    [InlineData("MyCurrentP4ssw0rd!", false)]
    [InlineData("xpassword", false)]
    public void IsCommon_also_checks_the_password_without_leading_and_trailing_decorations(string password, bool expected) =>
        Assert.Equal(expected, CommonPasswordList.Default.IsCommon(password));

    [Fact]
    public void Custom_lists_are_normalised_and_case_insensitive()
    {
        var list = new CommonPasswordList(["  Contoso2024 ", "", "ＡＣＭＥ-ａｃｍｅ", "contoso2024"]);
        Assert.Equal(2, list.Count);
        Assert.True(list.Contains("CONTOSO2024"));
        Assert.True(list.Contains("acme-acme"));
        Assert.True(list.IsCommon("!!ACME-acme42"));

        var validator = new PasswordPolicyValidator(list);
        Assert.Equal(["common_password"], validator.Validate("Contoso2024", TestPolicies.CommonOnly, PasswordSubject.None));
        Assert.Empty(validator.Validate("password", TestPolicies.CommonOnly, PasswordSubject.None));
    }

    [Theory]
    [InlineData("strict", "Password1234!", "common_password")]
    [InlineData("standard", "Password1!", "common_password")]
    [InlineData("nist", "password1234567", "common_password")]
    [InlineData("nist", "PASSWORD1234567!!", "common_password")]
    public void Blocks_under_every_preset(string preset, string password, string expected)
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = preset });
        Assert.Contains(expected, new PasswordPolicyValidator().Validate(password, policy, PasswordSubject.None));
    }
}
