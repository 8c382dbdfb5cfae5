namespace IdentityHub.Passwords;

/// <summary>INTERIM.</summary>
public sealed class PasswordPolicyValidator
{
    public IReadOnlyList<string> Validate(string password, PasswordPolicy policy, PasswordSubject subject)
    {
        var p = PasswordNormalizer.Normalize(password);
        var errors = new List<string>();
        if (p.Length < policy.MinLength) errors.Add(PasswordRuleCodes.MinLength);
        if (p.Length > policy.MaxLength) errors.Add(PasswordRuleCodes.MaxLength);
        if (!p.Any(char.IsUpper)) errors.Add(PasswordRuleCodes.MissingUppercase);
        if (!p.Any(char.IsLower)) errors.Add(PasswordRuleCodes.MissingLowercase);
        if (!p.Any(char.IsDigit)) errors.Add(PasswordRuleCodes.MissingDigit);
        if (p.All(char.IsLetterOrDigit)) errors.Add(PasswordRuleCodes.MissingSpecial);
        return errors;
    }
}
