namespace IdentityHub.Passwords;

/// <summary>
/// Stable, machine-readable codes for password rule violations. Clients key their
/// localised messages on these strings and API responses expose them verbatim, so a code
/// is never renamed or reused for a different meaning once shipped.
/// </summary>
/// <remarks>
/// The constants are declared in the order <see cref="PasswordPolicyValidator"/> reports them
/// (<see cref="All"/> holds that order). <see cref="ReusedPassword"/> and <see cref="SameAsCurrent"/>
/// are never produced by the validator: checking them needs the user's stored password hashes,
/// so the caller (the password-change flow) evaluates them and appends them.
/// </remarks>
public static class PasswordRuleCodes
{
    /// <summary>Fewer characters (Unicode code points after NFKC) than <see cref="PasswordPolicy.MinLength"/>.</summary>
    public const string MinLength = "min_length";

    /// <summary>More characters (Unicode code points after NFKC) than <see cref="PasswordPolicy.MaxLength"/>.</summary>
    public const string MaxLength = "max_length";

    /// <summary>No upper-case or title-case letter (Unicode categories Lu/Lt) while <see cref="PasswordPolicy.RequireUppercase"/> is on.</summary>
    public const string MissingUppercase = "missing_uppercase";

    /// <summary>
    /// A character no password may hold: a C0 control or DEL, an unpaired surrogate or a Unicode noncharacter
    /// (see <see cref="PasswordNormalizer.ContainsInvalidCharacters"/>).
    /// </summary>
    public const string InvalidCharacters = "invalid_characters";

    /// <summary>No lower-case letter (Unicode category Ll) while <see cref="PasswordPolicy.RequireLowercase"/> is on.</summary>
    public const string MissingLowercase = "missing_lowercase";

    /// <summary>No decimal digit (Unicode category Nd, any script) while <see cref="PasswordPolicy.RequireDigit"/> is on.</summary>
    public const string MissingDigit = "missing_digit";

    /// <summary>No special character (see <see cref="PasswordPolicy.SpecialCharacters"/>) while <see cref="PasswordPolicy.RequireSpecial"/> is on.</summary>
    public const string MissingSpecial = "missing_special";

    /// <summary>A run of more than <see cref="PasswordPolicy.MaxConsecutiveIdentical"/> identical characters.</summary>
    public const string ConsecutiveIdentical = "consecutive_identical";

    /// <summary>The password is on the shipped common-password block list (see <see cref="CommonPasswordList"/>).</summary>
    public const string CommonPassword = "common_password";

    /// <summary>A keyboard run, an alphabetical/numeric sequence, a date or a repeated unit (see <see cref="PasswordPolicyValidator"/>).</summary>
    public const string WeakPattern = "weak_pattern";

    /// <summary>The password contains the user's e-mail local part, user name, display name or tenant name (or a part of them).</summary>
    public const string ContainsUserInfo = "contains_user_info";

    /// <summary>
    /// The password matches one of the last <see cref="PasswordPolicy.HistoryDepth"/> passwords.
    /// Produced by the caller, which holds the password-history hashes; never by the validator.
    /// </summary>
    public const string ReusedPassword = "reused_password";

    /// <summary>
    /// The new password equals the current one. Produced by the caller, which holds the current
    /// hash; never by the validator.
    /// </summary>
    public const string SameAsCurrent = "same_as_current";

    /// <summary>
    /// The zxcvbn strength score (0–4) is below <see cref="PasswordPolicy.MinStrengthScore"/>.
    /// Named after the outcome rather than the algorithm so the estimator can be swapped without
    /// breaking clients.
    /// </summary>
    public const string TooWeak = "too_weak";

    /// <summary>Every code, in the stable order in which violations are reported.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        MinLength,
        MaxLength,
        InvalidCharacters,
        MissingUppercase,
        MissingLowercase,
        MissingDigit,
        MissingSpecial,
        ConsecutiveIdentical,
        CommonPassword,
        WeakPattern,
        ContainsUserInfo,
        ReusedPassword,
        SameAsCurrent,
        TooWeak,
    ];
}
