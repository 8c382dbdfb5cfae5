using System.Diagnostics;
using IdentityHub.Passwords;
using Xunit;
using Xunit.Abstractions;

namespace IdentityHub.Tests.Passwords;

public sealed class StrengthTests(ITestOutputHelper output)
{
    private static readonly PasswordPolicyValidator Validator = new();

    private static PasswordPolicy StrengthOnly(int score) => TestPolicies.Nothing with { MinStrengthScore = score };

    [Theory]
    [InlineData("Correct-Horse-Battery-9", 4, false)]
    [InlineData("kx9#Lm2$Qp7&Zr4!", 4, false)]
    [InlineData("password", 1, true)]
    [InlineData("MyCurrentP4ssw0rd!", 1, true)] // zxcvbn sees "current" + "password" with l33t
    [InlineData("abcabcabcabc", 1, true)]
    [InlineData("", 1, true)]
    public void Score_below_minimum_is_too_weak(string password, int minimum, bool tooWeak)
    {
        var codes = Validator.Validate(password, StrengthOnly(minimum), PasswordSubject.None);
        Assert.Equal(tooWeak, codes.Contains(PasswordRuleCodes.TooWeak));
    }

    [Fact]
    public void Is_off_by_default_in_every_preset()
    {
        Assert.Empty(Validator.Validate("MyNewSecureP4ssw0rd!", PasswordPolicy.Strict, PasswordSubject.None));
        Assert.DoesNotContain(PasswordRuleCodes.TooWeak, Validator.Validate("password", PasswordPolicy.Standard, PasswordSubject.None));
        Assert.DoesNotContain(PasswordRuleCodes.TooWeak, Validator.Validate("password", PasswordPolicy.Nist, PasswordSubject.None));
    }

    [Fact]
    public void User_info_is_passed_to_zxcvbn_as_dictionary_words()
    {
        const string password = "Xkqzvbrtlmwp!";
        var stranger = new PasswordSubject(null, null, null, null);
        var owner = new PasswordSubject(null, "xkqzvbrtlmwp", null, null);
        var policy = StrengthOnly(3);
        Assert.Empty(Validator.Validate(password, policy, stranger));
        Assert.Equal(["too_weak"], Validator.Validate(password, policy, owner));
    }

    [Fact]
    public void Long_inputs_are_scored_on_a_prefix_and_stay_fast()
    {
        var policy = StrengthOnly(4);
        var random = new Random(7);
        var longPassword = new string(Enumerable.Range(0, PasswordNormalizer.MaxInputLength).Select(_ => (char)random.Next(33, 127)).ToArray());
        var stopwatch = Stopwatch.StartNew();
        var codes = Validator.Validate(longPassword, policy, PasswordSubject.None);
        stopwatch.Stop();
        Assert.DoesNotContain(PasswordRuleCodes.TooWeak, codes);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Reports_the_cost_of_a_typical_check()
    {
        var strict = PasswordPolicy.Strict;
        var withStrength = strict with { MinStrengthScore = 3 };
        var subject = new PasswordSubject("jane.doe@example.com", "jdoe", "Jane Doe", "Northwind");
        const string password = "MyNewSecureP4ssw0rd!";
        for (var i = 0; i < 20; i++)
        {
            Validator.Validate(password, withStrength, subject);
        }

        const int Rounds = 200;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            Validator.Validate(password, strict, subject);
        }

        var without = stopwatch.Elapsed.TotalMilliseconds / Rounds;
        stopwatch.Restart();
        for (var i = 0; i < Rounds; i++)
        {
            Validator.Validate(password, withStrength, subject);
        }

        var with = stopwatch.Elapsed.TotalMilliseconds / Rounds;
        output.WriteLine($"Validate strict: {without:F3} ms/call; with zxcvbn: {with:F3} ms/call");
        Assert.True(with < 1_000);
    }
}
