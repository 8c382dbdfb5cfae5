namespace IdentityHub.Passwords;

/// <summary>
/// Configuration for the password policy, bound from a configuration section (see
/// <see cref="SectionName"/>). Pick a <see cref="Preset"/> and override individual rules on top of
/// it; a null override keeps the preset's value. Turn the options into the effective, validated
/// policy with <see cref="PasswordPolicy.Resolve"/> at start-up so a bad configuration fails fast.
/// </summary>
/// <remarks>
/// Preset values (strict / standard / nist) are quoted on each property. An example section:
/// <code>
/// "PasswordPolicy": { "Preset": "nist", "MinLength": 16, "MinStrengthScore": 3 }
/// </code>
/// </remarks>
public sealed class PasswordPolicyOptions
{
    /// <summary>The conventional configuration section name, <c>PasswordPolicy</c>.</summary>
    public const string SectionName = "PasswordPolicy";

    /// <summary>
    /// The base rule set: <c>strict</c> (default), <c>standard</c> or <c>nist</c>; case-insensitive.
    /// Null, empty or whitespace means <c>strict</c>, so an empty configuration section is safe by default.
    /// Any other name is rejected by <see cref="PasswordPolicy.Resolve"/>.
    /// </summary>
    public string? Preset { get; set; } = PasswordPolicy.StrictPresetName;

    /// <summary>Minimum length in Unicode code points after NFKC. Preset: strict 12, standard 8, nist 15. Must be ≥ 1 and ≤ <see cref="MaxLength"/>.</summary>
    public int? MinLength { get; set; }

    /// <summary>
    /// Maximum length in Unicode code points after NFKC. Preset: 128 for all presets (long enough
    /// for passphrases, short enough to bound hashing cost). Must be ≤ <see cref="PasswordPolicy.MaxAllowedLength"/> (4096).
    /// </summary>
    public int? MaxLength { get; set; }

    /// <summary>Require an upper-/title-case letter (Unicode Lu/Lt). Preset: strict true, standard true, nist false.</summary>
    public bool? RequireUppercase { get; set; }

    /// <summary>Require a lower-case letter (Unicode Ll). Preset: strict true, standard true, nist false.</summary>
    public bool? RequireLowercase { get; set; }

    /// <summary>Require a decimal digit of any script (Unicode Nd). Preset: strict true, standard true, nist false.</summary>
    public bool? RequireDigit { get; set; }

    /// <summary>Require a special character (see <see cref="SpecialCharacters"/>). Preset: strict true, standard true, nist false.</summary>
    public bool? RequireSpecial { get; set; }

    /// <summary>
    /// The characters that satisfy <see cref="RequireSpecial"/>. Null keeps the preset's value; an
    /// empty string selects "any Unicode punctuation, symbol or space" (categories P*, S*, Zs), which
    /// is the strict and nist presets' value. The standard preset uses exactly
    /// <c>!@#$%^&amp;*()_+={}[]|:;'"&lt;&gt;,.?/</c>. Letters, digits, combining marks and control/format
    /// characters are rejected because they would make the rule meaningless.
    /// </summary>
    public string? SpecialCharacters { get; set; }

    /// <summary>
    /// The longest allowed run of identical characters; a longer run fails. 0 turns the rule off.
    /// Preset: strict 3 (so <c>aaa</c> passes and <c>aaaa</c> fails), standard 0, nist 0.
    /// </summary>
    public int? MaxConsecutiveIdentical { get; set; }

    /// <summary>Reject passwords on the shipped list of 30,000 common passwords. Preset: true for all presets (NIST requires a block list).</summary>
    public bool? BlockCommonPasswords { get; set; }

    /// <summary>Reject keyboard runs, sequences, dates and repeated units. Preset: strict true, standard false, nist false.</summary>
    public bool? BlockWeakPatterns { get; set; }

    /// <summary>Reject passwords containing the user's e-mail local part, user name, display name or tenant name. Preset: true for all presets.</summary>
    public bool? BlockUserInfo { get; set; }

    /// <summary>
    /// How many previous passwords may not be reused (checked by the caller against stored hashes).
    /// 0 turns the check off. Preset: 5 for all presets. At most <see cref="PasswordPolicy.MaxHistoryDepth"/> (24),
    /// because every entry costs one slow hash verification per password change.
    /// </summary>
    public int? HistoryDepth { get; set; }

    /// <summary>
    /// Minimum zxcvbn score, 0–4 (0 = too guessable … 4 = very unguessable). Null or 0 turns the
    /// rule off, which is every preset's value: the estimator costs about a millisecond or more per call
    /// and its dictionary overlaps the common-password list.
    /// </summary>
    public int? MinStrengthScore { get; set; }
}
