using System.Globalization;
using IdentityHub.Passwords;

namespace IdentityHub.Web.Pages.Account;

/// <summary>The rules of a tenant's policy as the pages that set a new password list them (change, reset).</summary>
internal static class PasswordRuleList
{
    /// <summary>The parameter of a rule's description (a length, a count), if it has one.</summary>
    public static string Argument(PasswordPolicy policy, string rule) => rule switch
    {
        PasswordRuleCodes.MinLength => policy.MinLength.ToString(CultureInfo.CurrentCulture),
        PasswordRuleCodes.MaxLength => policy.MaxLength.ToString(CultureInfo.CurrentCulture),
        PasswordRuleCodes.ConsecutiveIdentical => policy.MaxConsecutiveIdentical.ToString(CultureInfo.CurrentCulture),
        PasswordRuleCodes.ReusedPassword => policy.HistoryDepth.ToString(CultureInfo.CurrentCulture),
        _ => "",
    };

    /// <summary>The rules of the policy, in report order, to show before the person types.</summary>
    public static IEnumerable<string> Active(PasswordPolicy policy)
    {
        yield return PasswordRuleCodes.MinLength;
        if (policy.RequireUppercase) yield return PasswordRuleCodes.MissingUppercase;
        if (policy.RequireLowercase) yield return PasswordRuleCodes.MissingLowercase;
        if (policy.RequireDigit) yield return PasswordRuleCodes.MissingDigit;
        if (policy.RequireSpecial) yield return PasswordRuleCodes.MissingSpecial;
        if (policy.MaxConsecutiveIdentical > 0) yield return PasswordRuleCodes.ConsecutiveIdentical;
        if (policy.BlockCommonPasswords) yield return PasswordRuleCodes.CommonPassword;
        if (policy.BlockWeakPatterns) yield return PasswordRuleCodes.WeakPattern;
        if (policy.BlockUserInfo) yield return PasswordRuleCodes.ContainsUserInfo;
        if (policy.HistoryDepth > 0) yield return PasswordRuleCodes.ReusedPassword;
        yield return PasswordRuleCodes.SameAsCurrent;
        if (policy.MinStrengthScore > 0) yield return PasswordRuleCodes.TooWeak;
    }

    /// <summary>
    /// The page's new-password input problem (resource key), or null: every field filled, none over the length bound
    /// (refused before anything is normalised or hashed), and the confirmation equal to the new password.
    /// </summary>
    public static string? InputError(string? newPassword, string? confirmation, params string?[] others)
    {
        string?[] all = [newPassword, confirmation, .. others];
        if (all.Any(string.IsNullOrEmpty))
        {
            return "Error_required";
        }
        if (all.Any(PasswordNormalizer.IsTooLong))
        {
            return "Error_too_long";
        }
        return string.Equals(newPassword, confirmation, StringComparison.Ordinal) ? null : "Error_mismatch";
    }
}
