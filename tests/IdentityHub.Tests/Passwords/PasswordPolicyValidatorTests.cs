using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class PasswordPolicyValidatorTests
{
    private static readonly PasswordPolicyValidator Validator = new();

    private static readonly PasswordSubject Jane = new("jane.doe@example.com", "jdoe", "Jane Doe", "Northwind Traders");

    private static IReadOnlyList<string> Check(string password, PasswordPolicy policy, PasswordSubject? subject = null) =>
        Validator.Validate(password, policy, subject ?? PasswordSubject.None);

    [Theory]
    [InlineData("MyNewSecureP4ssw0rd!")]
    [InlineData("MyCurrentP4ssw0rd!")]
    [InlineData("Correct-Horse-Battery-9")]
    [InlineData("Pässwörd-Ünïcode-9")]
    public void Documented_good_examples_pass_strict(string password)
    {
        Assert.Empty(Check(password, PasswordPolicy.Strict, Jane));
    }

    [Fact]
    public void Reports_all_violations_at_once_in_stable_order()
    {
        Assert.Equal(["min_length", "missing_uppercase", "missing_digit", "missing_special"], Check("abc", PasswordPolicy.Strict));
        Assert.Equal(
            ["min_length", "missing_uppercase", "missing_digit", "missing_special", "common_password"],
            Check("password", PasswordPolicy.Strict));
        Assert.Equal(
            ["min_length", "missing_uppercase", "missing_lowercase", "missing_digit", "missing_special"],
            Check(string.Empty, PasswordPolicy.Strict));
    }

    [Fact]
    public void Every_validator_rule_can_fire_together()
    {
        var policy = PasswordPolicy.Strict with { MinStrengthScore = 1 };
        var subject = new PasswordSubject(null, "111111", null, null);
        Assert.Equal(
            [
                "min_length", "missing_uppercase", "missing_lowercase", "missing_special", "consecutive_identical",
                "common_password", "weak_pattern", "contains_user_info", "too_weak",
            ],
            Check("111111", policy, subject));
        Assert.Equal(
            ["max_length", "missing_uppercase", "missing_lowercase", "missing_digit", "consecutive_identical", "weak_pattern"],
            Check(new string('!', 129), PasswordPolicy.Strict));
    }

    [Fact]
    public void Never_reports_history_codes()
    {
        var codes = Check("password", PasswordPolicy.Strict with { HistoryDepth = 24 });
        Assert.DoesNotContain(PasswordRuleCodes.ReusedPassword, codes);
        Assert.DoesNotContain(PasswordRuleCodes.SameAsCurrent, codes);
    }

    [Theory]
    [InlineData("strict", 11, "min_length")]
    [InlineData("strict", 12, null)]
    [InlineData("strict", 128, null)]
    [InlineData("strict", 129, "max_length")]
    [InlineData("standard", 7, "min_length")]
    [InlineData("standard", 8, null)]
    [InlineData("standard", 128, null)]
    [InlineData("standard", 129, "max_length")]
    [InlineData("nist", 14, "min_length")]
    [InlineData("nist", 15, null)]
    [InlineData("nist", 128, null)]
    [InlineData("nist", 129, "max_length")]
    public void Length_boundaries_per_preset(string preset, int length, string? expected)
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = preset });
        var codes = Check(TestPolicies.Filler(length), policy, Jane);
        Assert.Equal(expected is null ? [] : [expected], codes);
    }

    [Theory]
    [InlineData("Kp7!mQz$Rw😀", "min_length")] // 11 code points, 12 UTF-16 units
    [InlineData("Kp7!mQz$Rw2😀", null)] // 12 code points
    [InlineData("Kp7!mQz$Rﬃ", null)] // 10 UTF-16 units, 12 code points after NFKC
    [InlineData("Kp7!mQz$Rw\u0041\u030A", "min_length")] // A + combining ring composes: 11 code points
    public void Length_counts_code_points_after_nfkc(string password, string? expected)
    {
        Assert.Equal(expected is null ? [] : [expected], Check(password, PasswordPolicy.Strict));
    }

    [Fact]
    public void Full_width_input_is_normalised_before_every_rule()
    {
        // NFKC: "KP7!mQz$Rw2x" — the full-width "！" becomes an ASCII special, "７" an ASCII digit.
        Assert.Empty(Check("ＫＰ７！ｍＱｚ＄Ｒｗ２ｘ", PasswordPolicy.Strict));
        Assert.Equal(["common_password"], Check("ｐａｓｓｗｏｒｄ", PasswordPolicy.Nist with { MinLength = 1 }));
    }

    [Theory]
    [InlineData("Aa1!", null)]
    [InlineData("a1!", "missing_uppercase")]
    [InlineData("A1!", "missing_lowercase")]
    [InlineData("Aa!", "missing_digit")]
    [InlineData("Aa1", "missing_special")]
    [InlineData("Éé1!", null)] // Latin-1 letters count
    [InlineData("ÖSTERREICH1!", "missing_lowercase")]
    [InlineData("ßtraße1!", "missing_uppercase")]
    [InlineData("Ωω1!", null)] // Greek
    [InlineData("Жж1!", null)] // Cyrillic
    [InlineData("\u1F88a1!", null)] // Greek title-case letter (Lt, stable under NFKC) counts as upper
    [InlineData("Aa٣!", null)] // Arabic-Indic digit counts as a digit
    [InlineData("Aa१!", null)] // Devanagari digit
    [InlineData("Aa½", null)] // NFKC turns ½ into 1⁄2: ASCII digits plus a math-symbol slash
    [InlineData("Aa፩!", "missing_digit")] // Ethiopic numeral one is No, not Nd
    [InlineData("密码Aa1!", null)]
    [InlineData("密码1!", "missing_uppercase,missing_lowercase")] // caseless script satisfies neither
    public void Composition_uses_unicode_categories(string password, string? expected)
    {
        Assert.Equal(Expected(expected), Check(password, TestPolicies.CompositionOnly));
    }

    [Theory]
    [InlineData("Aa1 ", null)] // space counts as special
    [InlineData("Aa1\u00A0", null)] // no-break space (Zs) too
    [InlineData("Aa1€", null)]
    [InlineData("Aa1¿", null)]
    [InlineData("Aa1😀", null)] // emoji are symbols (So)
    [InlineData("Aa1~", null)]
    [InlineData("Aa1\\", null)]
    [InlineData("Aa1\u0001", "invalid_characters,missing_special")] // control characters never count (and are refused)
    [InlineData("Aa1\t", "invalid_characters,missing_special")]
    [InlineData("Aa1\u200B", "missing_special")] // zero-width space is a format character
    public void Strict_special_is_any_punctuation_symbol_or_space(string password, string? expected)
    {
        Assert.Equal(Expected(expected), Check(password, TestPolicies.CompositionOnly));
    }

    [Theory]
    [InlineData("Kp7!mQzx", null)]
    [InlineData("Kp7\"mQzx", null)]
    [InlineData("Kp7/mQzx", null)]
    [InlineData("Kp7^mQzx", null)]
    [InlineData("Kp7-mQzx", "missing_special")] // '-' is not in the standard set
    [InlineData("Kp7~mQzx", "missing_special")]
    [InlineData("Kp7 mQzx", "missing_special")]
    [InlineData("Kp7€mQzx", "missing_special")]
    [InlineData("Kp7！mQzx", null)] // full-width ! normalises into the set
    [InlineData("Kp7!mQz", "min_length")]
    public void Standard_special_is_exactly_its_set(string password, string? expected)
    {
        Assert.Equal(Expected(expected), Check(password, PasswordPolicy.Standard, Jane));
    }

    [Theory]
    [InlineData("Kp7!aaaQz$Rw", null)] // 3 in a row is allowed
    [InlineData("Kp7!aaaaQz$R", "consecutive_identical")] // 4 in a row fails
    [InlineData("Kp7!aAaAQz$R", null)] // case-sensitive
    [InlineData("Kp7!mQz$Rw2😀😀😀", null)]
    [InlineData("Kp7!mQz$R😀😀😀😀", "consecutive_identical")] // emoji compared as whole code points
    [InlineData("Kp7!mQz$Rw2xxxx", "consecutive_identical")] // at the end
    [InlineData("!!!!Kp7mQz$Rw2", "consecutive_identical")] // at the start
    public void Strict_allows_at_most_three_identical_in_a_row(string password, string? expected)
    {
        Assert.Equal(Expected(expected), Check(password, PasswordPolicy.Strict));
    }

    [Theory]
    [InlineData(0, "aaaaaaaaaa", null)]
    [InlineData(1, "ab", null)]
    [InlineData(1, "aab", "consecutive_identical")]
    [InlineData(5, "aaaaab", null)]
    [InlineData(5, "aaaaaab", "consecutive_identical")]
    public void Consecutive_limit_is_configurable(int limit, string password, string? expected)
    {
        Assert.Equal(Expected(expected), Check(password, TestPolicies.Nothing with { MaxConsecutiveIdentical = limit }));
    }

    [Fact]
    public void Composition_and_consecutive_rules_are_off_under_nist()
    {
        Assert.Empty(Check("correct horse battery staple", PasswordPolicy.Nist, Jane));
        Assert.Empty(Check("zzzzzzzzzzzzzzzzq", PasswordPolicy.Nist, Jane));
    }

    [Fact]
    public void Disabled_rules_do_not_fire()
    {
        var policy = TestPolicies.Nothing;
        Assert.Empty(Check("password", policy, new PasswordSubject(null, "password", null, null)));
        Assert.Empty(Check("qwerty1990", policy));
    }

    [Fact]
    public void Odd_input_never_throws()
    {
        var policy = PasswordPolicy.Strict with { MinStrengthScore = 4 };
        Assert.Contains("max_length", Check(new string('x', 100_000) + "A1!", policy, Jane));
        Assert.NotNull(Check("Kp7!\uD800mQz$Rw2x", policy, Jane));
        Assert.NotNull(Check("\0\0\0\u0001", policy, Jane));
    }

    [Fact]
    public void Invalid_characters_are_a_violation_listed_with_the_others()
    {
        // Otherwise a strong password: only the invalid character is wrong, in every preset.
        foreach (var policy in new[] { PasswordPolicy.Strict, PasswordPolicy.Standard, PasswordPolicy.Nist })
        {
            Assert.Equal(["invalid_characters"], Check("Kp7!mQz$Rw2x-Vb9\0", policy, Jane));
            Assert.Equal(["invalid_characters"], Check("Kp7!mQz$Rw2x-Vb9\u007F", policy, Jane));
            Assert.Equal(["invalid_characters"], Check("Kp7!mQz$Rw2x-\uFFFEVb9", policy, Jane));
            Assert.Equal(["invalid_characters"], Check("Kp7!mQz$Rw2x-\uFFFFVb9", policy, Jane));
        }
        // Reported in its place among the others.
        Assert.Equal(["min_length", "invalid_characters", "missing_uppercase", "missing_digit", "missing_special"], Check("xqz\t", PasswordPolicy.Strict));
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Validator.Validate(null!, PasswordPolicy.Strict, Jane));
        Assert.Throws<ArgumentNullException>(() => Validator.Validate("x", null!, Jane));
        Assert.Throws<ArgumentNullException>(() => Validator.Validate("x", PasswordPolicy.Strict, null!));
    }

    [Fact]
    public void Is_safe_to_share_between_threads()
    {
        var policy = PasswordPolicy.Strict with { MinStrengthScore = 2 };
        string[] passwords = ["MyNewSecureP4ssw0rd!", "password", "abc", "Correct-Horse-Battery-9", "qwerty1990", "Jane-Doe-1234!"];
        var expected = passwords.Select(p => string.Join(',', Check(p, policy, Jane))).ToArray();
        var mismatches = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var actual = string.Join(',', new PasswordPolicyValidator().Validate(passwords[i % passwords.Length], policy, Jane));
            if (actual != expected[i % passwords.Length])
            {
                Interlocked.Increment(ref mismatches);
            }
        });
        Assert.Equal(0, mismatches);
    }

    private static string[] Expected(string? codes) => codes is null ? [] : codes.Split(',');
}
