using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class WeakPatternTests
{
    private static readonly PasswordPolicyValidator Validator = new();

    private static bool IsWeak(string password) =>
        Validator.Validate(password, TestPolicies.WeakPatternsOnly, PasswordSubject.None).Contains(PasswordRuleCodes.WeakPattern);

    [Theory]
    // keyboard runs of 4, forwards and backwards, anywhere, any case
    [InlineData("xqwerx")]
    [InlineData("ASDF")]
    [InlineData("my-zxcv-key")]
    [InlineData("poiu")]
    [InlineData("lkjh")]
    [InlineData("mnbv")]
    [InlineData("uiop")]
    [InlineData("7890")]
    [InlineData("0987")]
    [InlineData("x!@#$x")]
    [InlineData("qwerty")]
    [InlineData("Werty")] // "erty" counts when part of a 5-key run
    [InlineData("ertyu")]
    [InlineData("ＱＷＥＲ")] // full-width folds to ASCII first
    // alphabetical and numeric sequences of 4
    [InlineData("abcd")]
    [InlineData("xWXYZx")]
    [InlineData("dcba")]
    [InlineData("1234")]
    [InlineData("pin9876")]
    [InlineData("Ab-mnop-9")]
    // dates
    [InlineData("Born1990!")]
    [InlineData("x2099")]
    [InlineData("12/31/1990")]
    [InlineData("31.12.1990")]
    [InlineData("31-12-90")]
    [InlineData("1 2 2024")]
    [InlineData("31121990")]
    [InlineData("12311990")]
    [InlineData("19901231")]
    [InlineData("2024-01-15")]
    [InlineData("Go2024/1/5!")]
    [InlineData("13/13/1990")] // impossible day/month, but 1990 is still a year
    // repeated units
    [InlineData("abcabcabcabc")]
    [InlineData("Ab1!Ab1!Ab1!")]
    [InlineData("Ab1!ab1!AB1!")] // case-insensitive
    [InlineData("xyxy")]
    [InlineData("zz")]
    [InlineData("CorrectHorseCorrectHorse")]
    [InlineData("😀x😀x")]
    public void Matches(string password) => Assert.True(IsWeak(password));

    [Theory]
    [InlineData("MyNewSecureP4ssw0rd!")]
    [InlineData("MyCurrentP4ssw0rd!")]
    [InlineData("Correct-Horse-Battery-9")]
    [InlineData("Pässwörd-Ünïcode-9")]
    [InlineData("Liberty-Bell-77")] // "erty" inside a word is not a keyboard run
    [InlineData("Property&Poverty")]
    [InlineData("qwe")] // runs of 3
    [InlineData("abc")]
    [InlineData("123")]
    [InlineData("abce")]
    [InlineData("1357")]
    [InlineData("1899")] // outside 1900–2099
    [InlineData("2100")]
    [InlineData("19900")] // 5 digits: not a year
    [InlineData("311290")] // 6-digit compact dates are deliberately not matched
    [InlineData("93718264")] // 8 digits that read as no date
    [InlineData("13/13/13")]
    [InlineData("v1.2.3")]
    [InlineData("12/31")]
    [InlineData("ababa")]
    [InlineData("Ab1!Ab1!Ab1")]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("٢٠٢٤")] // Arabic-Indic digits are not examined for dates
    public void Does_not_match(string password) => Assert.False(IsWeak(password));

    [Fact]
    public void Is_off_in_standard_and_nist()
    {
        Assert.DoesNotContain(PasswordRuleCodes.WeakPattern, Validator.Validate("Qwer1234!abcd", PasswordPolicy.Standard, PasswordSubject.None));
        Assert.DoesNotContain(PasswordRuleCodes.WeakPattern, Validator.Validate("qwertyuiop1990abcd", PasswordPolicy.Nist, PasswordSubject.None));
    }
}
