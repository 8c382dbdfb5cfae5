using System.Text;

namespace IdentityHub.Passwords;

/// <summary>
/// Checks a candidate password against a <see cref="PasswordPolicy"/> and reports every violated rule
/// at once, so a user fixes all problems in one round trip. Stateless apart from the lazily loaded
/// block list and strength estimator: register it as a singleton and call it concurrently.
/// </summary>
/// <remarks>
/// <para>
/// The password is first normalised with <see cref="PasswordNormalizer.Normalize"/> (NFKC); every rule
/// sees that form and lengths count its code points. Rules, in report order (see <see cref="PasswordRuleCodes"/>):
/// </para>
/// <list type="bullet">
/// <item><description><c>min_length</c> / <c>max_length</c>: code-point count outside [MinLength, MaxLength]; an input longer than
/// <see cref="PasswordNormalizer.MaxInputLength"/> UTF-16 units is only <c>max_length</c>, whatever the policy says.</description></item>
/// <item><description><c>invalid_characters</c>: a control character, unpaired surrogate or noncharacter (<see cref="PasswordNormalizer.ContainsInvalidCharacters"/>).</description></item>
/// <item><description><c>missing_uppercase</c> / <c>missing_lowercase</c>: no Lu/Lt or Ll letter of any script (<c>É</c>, <c>Ω</c> count; caseless scripts such as CJK satisfy neither — use the nist preset for such user bases).</description></item>
/// <item><description><c>missing_digit</c>: no Nd digit of any script (ASCII and e.g. Arabic-Indic digits count; full-width digits become ASCII under NFKC).</description></item>
/// <item><description><c>missing_special</c>: no character from <see cref="PasswordPolicy.SpecialCharacters"/>, or when that is null no punctuation, symbol (emoji included) or space.</description></item>
/// <item><description><c>consecutive_identical</c>: a run of more than <see cref="PasswordPolicy.MaxConsecutiveIdentical"/> identical code points (case-sensitive: <c>aAaA</c> is not a run).</description></item>
/// <item><description><c>common_password</c>: see <see cref="CommonPasswordList.IsCommon"/>.</description></item>
/// <item><description><c>weak_pattern</c> (on the lower-cased NFKC form; nothing else is matched): a run of ≥ 4 adjacent keys of one US-QWERTY row — <c>1234567890</c>, <c>qwertyuiop</c>, <c>asdfghjkl</c>, <c>zxcvbnm</c>, <c>!@#$%^&amp;*()</c> — forwards or backwards, except the bare 4-run <c>erty</c> (liberty, property), which only counts inside <c>werty</c>/<c>ertyu</c>; ≥ 4 ASCII letters or digits stepping by +1 or −1 (<c>abcd</c>, <c>9876</c>); a run of exactly 4 ASCII digits forming a year 1900–2099; a run of exactly 8 digits reading as DDMMYYYY, MMDDYYYY or YYYYMMDD with such a year; three digit runs joined by one repeated separator (<c>- / . _</c> or space) reading as D-M-Y or M-D-Y with a 2- or 4-digit year, or Y-M-D with a 4-digit year (day 1–31, month 1–12); or the whole password being one unit repeated two or more times (<c>abcabcabcabc</c>, <c>Ab1!Ab1!Ab1!</c>).</description></item>
/// <item><description><c>contains_user_info</c>: the e-mail local part, user name, display name or tenant name — whole, without separators, or any part of ≥ 3 code points — appears case-insensitively.</description></item>
/// <item><description><c>too_weak</c>: zxcvbn score (first 64 code points, user pieces as dictionary words) below <see cref="PasswordPolicy.MinStrengthScore"/>; only evaluated when that is above 0.</description></item>
/// </list>
/// <para>
/// <c>reused_password</c> and <c>same_as_current</c> need stored hashes and are the caller's job: verify the
/// normalised password against the current hash and the last <see cref="PasswordPolicy.HistoryDepth"/> hashes
/// and append those codes in their <see cref="PasswordRuleCodes.All"/> position.
/// </para>
/// </remarks>
public sealed class PasswordPolicyValidator
{
    private readonly CommonPasswordList? commonPasswords;

    /// <summary>Uses the embedded common-password list (<see cref="CommonPasswordList.Default"/>), loaded on the first check that needs it.</summary>
    public PasswordPolicyValidator()
    {
    }

    /// <summary>Uses <paramref name="commonPasswords"/> instead of the embedded list, e.g. an organisation's own larger list.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="commonPasswords"/> is null.</exception>
    public PasswordPolicyValidator(CommonPasswordList commonPasswords)
    {
        ArgumentNullException.ThrowIfNull(commonPasswords);
        this.commonPasswords = commonPasswords;
    }

    /// <summary>
    /// Evaluates every rule of <paramref name="policy"/> and returns the codes of all violated rules in
    /// <see cref="PasswordRuleCodes.All"/> order, or an empty list when the password is acceptable.
    /// Never throws for odd input (empty, unpaired surrogates, control characters, very long strings).
    /// </summary>
    /// <param name="password">The candidate password exactly as the user typed it.</param>
    /// <param name="policy">The effective policy, normally from <see cref="PasswordPolicy.Resolve"/>.</param>
    /// <param name="subject">The account the password is for; <see cref="PasswordSubject.None"/> when unknown.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public IReadOnlyList<string> Validate(string password, PasswordPolicy policy, PasswordSubject subject)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(subject);

        // The entry points refuse such input before it gets here; anything else (a seed file, a direct caller) is told
        // max_length without normalising a kilobyte-plus of text, and so the hasher is never handed it.
        if (PasswordNormalizer.IsTooLong(password))
        {
            return [PasswordRuleCodes.MaxLength];
        }

        var normalized = PasswordNormalizer.Normalize(password);
        var violations = new List<string>();

        var (length, hasUpper, hasLower, hasDigit, hasSpecial, longestRun) = Composition(normalized, policy.SpecialCharacters);
        Add(violations, length < policy.MinLength, PasswordRuleCodes.MinLength);
        Add(violations, length > policy.MaxLength, PasswordRuleCodes.MaxLength);
        Add(violations, PasswordNormalizer.ContainsInvalidCharacters(password), PasswordRuleCodes.InvalidCharacters);
        Add(violations, policy.RequireUppercase && !hasUpper, PasswordRuleCodes.MissingUppercase);
        Add(violations, policy.RequireLowercase && !hasLower, PasswordRuleCodes.MissingLowercase);
        Add(violations, policy.RequireDigit && !hasDigit, PasswordRuleCodes.MissingDigit);
        Add(violations, policy.RequireSpecial && !hasSpecial, PasswordRuleCodes.MissingSpecial);
        Add(violations, policy.MaxConsecutiveIdentical > 0 && longestRun > policy.MaxConsecutiveIdentical, PasswordRuleCodes.ConsecutiveIdentical);
        Add(violations, policy.BlockCommonPasswords && CommonPasswords.IsCommonNormalized(normalized), PasswordRuleCodes.CommonPassword);
        Add(violations, policy.BlockWeakPatterns && WeakPatternDetector.IsWeak(normalized), PasswordRuleCodes.WeakPattern);

        IReadOnlyList<string>? pieces = null;
        if (policy.BlockUserInfo)
        {
            pieces = UserInfoMatcher.Pieces(subject);
            Add(violations, UserInfoMatcher.Contains(normalized, pieces), PasswordRuleCodes.ContainsUserInfo);
        }

        if (policy.MinStrengthScore > 0)
        {
            pieces ??= UserInfoMatcher.Pieces(subject);
            Add(violations, PasswordStrengthEstimator.Score(normalized, pieces) < policy.MinStrengthScore, PasswordRuleCodes.TooWeak);
        }

        return violations.Count == 0 ? [] : violations.ToArray();
    }

    /// <summary>One pass over the normalised password: its length in code points, its character classes, its longest run.</summary>
    private static (int Length, bool HasUpper, bool HasLower, bool HasDigit, bool HasSpecial, int LongestRun) Composition(string normalized, string? specialCharacters)
    {
        var length = 0;
        var hasUpper = false;
        var hasLower = false;
        var hasDigit = false;
        var hasSpecial = false;
        var longestRun = 0;
        var currentRun = 0;
        var previous = default(Rune);
        foreach (var rune in normalized.EnumerateRunes())
        {
            length++;
            var category = Rune.GetUnicodeCategory(rune);
            hasUpper |= CharacterClasses.IsUpper(category);
            hasLower |= CharacterClasses.IsLower(category);
            hasDigit |= CharacterClasses.IsDigit(category);
            hasSpecial |= CharacterClasses.IsSpecial(rune, category, specialCharacters);
            currentRun = length > 1 && rune == previous ? currentRun + 1 : 1;
            longestRun = Math.Max(longestRun, currentRun);
            previous = rune;
        }
        return (length, hasUpper, hasLower, hasDigit, hasSpecial, longestRun);
    }

    private CommonPasswordList CommonPasswords => commonPasswords ?? CommonPasswordList.Default;

    private static void Add(List<string> violations, bool violated, string code)
    {
        if (violated)
        {
            violations.Add(code);
        }
    }
}
