using IdentityHub.Accounts;
using IdentityHub.Passwords;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Tests.Passwords;

/// <summary>The one input bound on passwords, counted in UTF-16 units of the raw input, before NFKC.</summary>
public sealed class PasswordInputLimitTests
{
    private const int Max = PasswordNormalizer.MaxInputLength;

    private static readonly IOptions<PasswordHashingOptions> Hashing = Options.Create(new PasswordHashingOptions { Iterations = 1000 });

    private static readonly NormalizingPasswordHasher Hasher = new(Hashing, new PasswordHashGate(Hashing));

    [Fact]
    public void TheLimitCountsUtf16UnitsOfTheRawInput()
    {
        Assert.Equal(1024, Max);
        Assert.False(PasswordNormalizer.IsTooLong(null));
        Assert.False(PasswordNormalizer.IsTooLong(""));
        Assert.False(PasswordNormalizer.IsTooLong(new string('x', Max)));
        Assert.True(PasswordNormalizer.IsTooLong(new string('x', Max + 1)));
        // 512 emoji are 1,024 UTF-16 units (512 code points): not too long; one more is.
        Assert.False(PasswordNormalizer.IsTooLong(string.Concat(Enumerable.Repeat("😀", Max / 2))));
        Assert.True(PasswordNormalizer.IsTooLong(string.Concat(Enumerable.Repeat("😀", Max / 2)) + "x"));
    }

    [Fact]
    public void TheHasher_RefusesOverlongInput_BeforeNormalisingIt()
    {
        var user = new HubUser();
        // 1,023 letters + "e" + a combining acute accent: 1,025 units raw, 1,024 after NFKC (e + U+0301 -> é).
        var decomposed = new string('k', Max - 1) + "e\u0301";
        var composed = new string('k', Max - 1) + "\u00E9";
        Assert.Equal(Max, PasswordNormalizer.Normalize(decomposed).Length);

        var hash = Hasher.HashPassword(user, composed);

        Assert.Equal(PasswordVerificationResult.Success, Hasher.VerifyHashedPassword(user, hash, composed));
        // Without the bound the decomposed form would verify (it normalises to the same text); it is refused first.
        Assert.Equal(PasswordVerificationResult.Failed, Hasher.VerifyHashedPassword(user, hash, decomposed));
        Assert.Throws<ArgumentException>(() => Hasher.HashPassword(user, decomposed));
    }

    [Fact]
    public void TheValidator_SaysOnlyMaxLength_ForOverlongInput_WhateverThePolicyAllows()
    {
        var validator = new PasswordPolicyValidator();

        Assert.Equal([PasswordRuleCodes.MaxLength], validator.Validate(TestPolicies.Filler(Max + 1), TestPolicies.Nothing, PasswordSubject.None));
        Assert.Empty(validator.Validate(TestPolicies.Filler(Max), TestPolicies.Nothing, PasswordSubject.None));
    }
}
