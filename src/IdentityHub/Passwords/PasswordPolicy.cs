using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace IdentityHub.Passwords;

/// <summary>
/// The effective, immutable password policy: a preset with configuration overrides applied and
/// checked for consistency. Obtain it from <see cref="Resolve"/> (or use <see cref="Strict"/>,
/// <see cref="Standard"/>, <see cref="Nist"/>) and share it freely between threads. It serialises with
/// System.Text.Json to the snake_case shape returned by <c>GET /v1/password-policy</c>, so clients can
/// show the rules before the user types.
/// </summary>
/// <remarks>
/// A default-constructed instance equals <see cref="Strict"/>. Instances built with <c>with</c>
/// bypass the checks done by <see cref="Resolve"/>.
/// </remarks>
public sealed record PasswordPolicy
{
    /// <summary>Name of the default, composition-heavy preset.</summary>
    public const string StrictPresetName = "strict";

    /// <summary>Name of the 8-character preset with a fixed ASCII special-character set.</summary>
    public const string StandardPresetName = "standard";

    /// <summary>Name of the NIST SP 800-63B preset (length and block list, no composition rules).</summary>
    public const string NistPresetName = "nist";

    /// <summary>The largest <see cref="MaxLength"/> accepted: longer inputs only serve denial-of-service attempts on the hasher.</summary>
    public const int MaxAllowedLength = 4096;

    /// <summary>The largest <see cref="HistoryDepth"/> accepted: each entry is one slow hash verification per password change.</summary>
    public const int MaxHistoryDepth = 24;

    /// <summary>The special characters of the standard preset, exactly as its source document lists them.</summary>
    public const string StandardSpecialCharacters = "!@#$%^&*()_+={}[]|:;'\"<>,.?/";

    /// <summary>
    /// The default preset: 12–128 characters, upper, lower, digit and special (any Unicode punctuation,
    /// symbol or space), at most 3 identical characters in a row, block list, weak patterns and user info
    /// on, history 5, strength score off.
    /// </summary>
    public static PasswordPolicy Strict { get; } = new();

    /// <summary>
    /// 8–128 characters, upper, lower, digit and one of <see cref="StandardSpecialCharacters"/>; no
    /// consecutive rule; block list and user info on; weak patterns off; history 5; strength score off.
    /// </summary>
    public static PasswordPolicy Standard { get; } = new()
    {
        Preset = StandardPresetName,
        MinLength = 8,
        SpecialCharacters = StandardSpecialCharacters,
        MaxConsecutiveIdentical = 0,
        BlockWeakPatterns = false,
    };

    /// <summary>
    /// NIST SP 800-63B (single-factor passwords): 15–128 characters, no composition rules, no
    /// consecutive rule, block list and user info on, weak patterns off, history 5, strength score off.
    /// </summary>
    public static PasswordPolicy Nist { get; } = new()
    {
        Preset = NistPresetName,
        MinLength = 15,
        RequireUppercase = false,
        RequireLowercase = false,
        RequireDigit = false,
        RequireSpecial = false,
        MaxConsecutiveIdentical = 0,
        BlockWeakPatterns = false,
    };

    /// <summary>The preset these values started from (<c>strict</c>, <c>standard</c> or <c>nist</c>), even when overrides changed some rules.</summary>
    [JsonPropertyName("preset")]
    public string Preset { get; init; } = StrictPresetName;

    /// <summary>Minimum number of Unicode code points after NFKC (see <see cref="PasswordNormalizer.CountCharacters"/>).</summary>
    [JsonPropertyName("min_length")]
    public int MinLength { get; init; } = 12;

    /// <summary>Maximum number of Unicode code points after NFKC.</summary>
    [JsonPropertyName("max_length")]
    public int MaxLength { get; init; } = 128;

    /// <summary>Whether an upper-case or title-case letter of any script (Unicode Lu/Lt, e.g. <c>É</c>) is required.</summary>
    [JsonPropertyName("require_uppercase")]
    public bool RequireUppercase { get; init; } = true;

    /// <summary>Whether a lower-case letter of any script (Unicode Ll, e.g. <c>ß</c>) is required.</summary>
    [JsonPropertyName("require_lowercase")]
    public bool RequireLowercase { get; init; } = true;

    /// <summary>Whether a decimal digit of any script (Unicode Nd, e.g. <c>7</c> or Arabic-Indic <c>٧</c>) is required.</summary>
    [JsonPropertyName("require_digit")]
    public bool RequireDigit { get; init; } = true;

    /// <summary>Whether a special character (see <see cref="SpecialCharacters"/>) is required.</summary>
    [JsonPropertyName("require_special")]
    public bool RequireSpecial { get; init; } = true;

    /// <summary>
    /// The exact set of characters that count as special, or null for "any Unicode punctuation,
    /// symbol or space separator" (categories P*, S* and Zs: <c>!@#$%&amp;*</c>, <c>€</c>, <c>¿</c>, emoji and
    /// the space character all count; control characters never do). Spaces count because passphrases
    /// use them and OWASP lists the space as a special character.
    /// </summary>
    [JsonPropertyName("special_characters")]
    public string? SpecialCharacters { get; init; }

    /// <summary>The longest allowed run of identical code points (case-sensitive); 0 means no limit.</summary>
    [JsonPropertyName("max_consecutive_identical")]
    public int MaxConsecutiveIdentical { get; init; } = 3;

    /// <summary>Whether passwords on the shipped common-password list are rejected.</summary>
    [JsonPropertyName("block_common_passwords")]
    public bool BlockCommonPasswords { get; init; } = true;

    /// <summary>Whether keyboard runs, sequences, dates and repeated units are rejected.</summary>
    [JsonPropertyName("block_weak_patterns")]
    public bool BlockWeakPatterns { get; init; } = true;

    /// <summary>Whether passwords containing the user's e-mail local part, names or tenant name are rejected.</summary>
    [JsonPropertyName("block_user_info")]
    public bool BlockUserInfo { get; init; } = true;

    /// <summary>How many previous passwords may not be reused (enforced by the caller); 0 means no history check.</summary>
    [JsonPropertyName("history_depth")]
    public int HistoryDepth { get; init; } = 5;

    /// <summary>Minimum zxcvbn score 0–4; 0 means the strength estimator is not run.</summary>
    [JsonPropertyName("min_strength_score")]
    public int MinStrengthScore { get; init; }

    /// <summary>
    /// Builds the effective policy: the named preset with every non-null override applied, then checked
    /// for consistency so that a misconfiguration stops start-up rather than producing a policy nobody
    /// can satisfy. Null options give <see cref="Strict"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The preset is unknown, or the values contradict each other or are out of range (minimum below 1,
    /// minimum above maximum, maximum above 4096, negative counts, history above 24, score outside 0–4,
    /// fewer allowed characters than required character classes, letters/digits/controls in the
    /// special-character set). The message lists every problem found.
    /// </exception>
    public static PasswordPolicy Resolve(PasswordPolicyOptions? options)
    {
        if (options is null)
        {
            return Strict;
        }

        var preset = FindPreset(options.Preset)
            ?? throw new ArgumentException(
                $"Unknown password policy preset '{options.Preset}'. Valid presets: {StrictPresetName}, {StandardPresetName}, {NistPresetName}.",
                nameof(options));

        var errors = new List<string>();
        var specialCharacters = preset.SpecialCharacters;
        if (options.SpecialCharacters is not null)
        {
            specialCharacters = options.SpecialCharacters.Length == 0
                ? null
                : CanonicalSpecialCharacters(options.SpecialCharacters, errors);
        }

        var policy = preset with
        {
            MinLength = options.MinLength ?? preset.MinLength,
            MaxLength = options.MaxLength ?? preset.MaxLength,
            RequireUppercase = options.RequireUppercase ?? preset.RequireUppercase,
            RequireLowercase = options.RequireLowercase ?? preset.RequireLowercase,
            RequireDigit = options.RequireDigit ?? preset.RequireDigit,
            RequireSpecial = options.RequireSpecial ?? preset.RequireSpecial,
            SpecialCharacters = specialCharacters,
            MaxConsecutiveIdentical = options.MaxConsecutiveIdentical ?? preset.MaxConsecutiveIdentical,
            BlockCommonPasswords = options.BlockCommonPasswords ?? preset.BlockCommonPasswords,
            BlockWeakPatterns = options.BlockWeakPatterns ?? preset.BlockWeakPatterns,
            BlockUserInfo = options.BlockUserInfo ?? preset.BlockUserInfo,
            HistoryDepth = options.HistoryDepth ?? preset.HistoryDepth,
            MinStrengthScore = options.MinStrengthScore ?? preset.MinStrengthScore,
        };

        CheckRanges(policy, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid password policy configuration (preset '{policy.Preset}'): {string.Join(" ", errors)}",
                nameof(options));
        }

        return policy;
    }

    private static PasswordPolicy? FindPreset(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Strict;
        }

        return name.Trim().ToLowerInvariant() switch
        {
            StrictPresetName => Strict,
            StandardPresetName => Standard,
            NistPresetName => Nist,
            _ => null,
        };
    }

    private static void CheckRanges(PasswordPolicy policy, List<string> errors)
    {
        if (policy.MinLength < 1)
        {
            errors.Add($"MinLength must be at least 1 (was {policy.MinLength}).");
        }

        if (policy.MaxLength < 1 || policy.MaxLength > MaxAllowedLength)
        {
            errors.Add($"MaxLength must be between 1 and {MaxAllowedLength} (was {policy.MaxLength}).");
        }

        if (policy.MinLength > policy.MaxLength)
        {
            errors.Add($"MinLength ({policy.MinLength}) must not exceed MaxLength ({policy.MaxLength}).");
        }

        var requiredClasses = (policy.RequireUppercase ? 1 : 0) + (policy.RequireLowercase ? 1 : 0)
            + (policy.RequireDigit ? 1 : 0) + (policy.RequireSpecial ? 1 : 0);
        if (policy.MaxLength >= 1 && requiredClasses > policy.MaxLength)
        {
            errors.Add($"MaxLength ({policy.MaxLength}) is too short to hold the {requiredClasses} required character classes.");
        }

        if (policy.MaxConsecutiveIdentical < 0)
        {
            errors.Add($"MaxConsecutiveIdentical must be 0 (off) or positive (was {policy.MaxConsecutiveIdentical}).");
        }

        if (policy.HistoryDepth < 0 || policy.HistoryDepth > MaxHistoryDepth)
        {
            errors.Add($"HistoryDepth must be between 0 (off) and {MaxHistoryDepth} (was {policy.HistoryDepth}).");
        }

        if (policy.MinStrengthScore < 0 || policy.MinStrengthScore > 4)
        {
            errors.Add($"MinStrengthScore must be between 0 (off) and 4 (was {policy.MinStrengthScore}).");
        }
    }

    /// <summary>NFKC-normalises the configured set, drops duplicates and rejects characters that cannot be "special".</summary>
    private static string CanonicalSpecialCharacters(string configured, List<string> errors)
    {
        var normalized = PasswordNormalizer.Normalize(configured);
        var seen = new HashSet<Rune>();
        var builder = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (IsForbiddenSpecial(category))
            {
                errors.Add($"SpecialCharacters must not contain letters, digits, marks or control characters (found U+{rune.Value:X4}).");
                continue;
            }

            if (seen.Add(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    private static bool IsForbiddenSpecial(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => true,
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
        _ => false,
    };
}
