namespace IdentityHub.Passwords;

/// <summary>INTERIM.</summary>
public static class PasswordRuleCodes
{
    public const string MinLength = "min_length";
    public const string MaxLength = "max_length";
    public const string MissingUppercase = "missing_uppercase";
    public const string MissingLowercase = "missing_lowercase";
    public const string MissingDigit = "missing_digit";
    public const string MissingSpecial = "missing_special";
    public const string ReusedPassword = "reused_password";
    public const string SameAsCurrent = "same_as_current";
}
