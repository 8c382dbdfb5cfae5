using IdentityHub.Passwords;

namespace IdentityHub.Tests.Passwords;

/// <summary>Policies that switch on one rule family at a time, and inputs that pass every other rule.</summary>
internal static class TestPolicies
{
    /// <summary>No rule at all except length ≥ 1; tests switch on the rule under test with <c>with</c>.</summary>
    public static readonly PasswordPolicy Nothing = PasswordPolicy.Nist with
    {
        MinLength = 1,
        MaxLength = PasswordPolicy.MaxAllowedLength,
        BlockCommonPasswords = false,
        BlockUserInfo = false,
    };

    public static readonly PasswordPolicy CompositionOnly = PasswordPolicy.Strict with
    {
        MinLength = 1,
        MaxConsecutiveIdentical = 0,
        BlockCommonPasswords = false,
        BlockWeakPatterns = false,
        BlockUserInfo = false,
    };

    public static readonly PasswordPolicy WeakPatternsOnly = Nothing with { BlockWeakPatterns = true };

    public static readonly PasswordPolicy UserInfoOnly = Nothing with { BlockUserInfo = true };

    public static readonly PasswordPolicy CommonOnly = Nothing with { BlockCommonPasswords = true };

    /// <summary>
    /// Cycles through a 22-character alphabet chosen so that no window contains a keyboard run,
    /// a sequence, a year or a long identical run, and whose period (22) never makes a test length a
    /// whole repetition. Contains upper, lower, digits and specials of the standard set (! $ % #).
    /// </summary>
    public static string Filler(int length)
    {
        const string Alphabet = "Kp7!mQz$Rw2xTgh%Vb5#Ly";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[i % Alphabet.Length];
        }

        return new string(chars);
    }
}
