namespace IdentityHub.Passwords;

/// <summary>INTERIM (replaced by the policy engine): preset + overrides.</summary>
public sealed class PasswordPolicyOptions
{
    public string Preset { get; set; } = "strict";
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    public int? HistoryDepth { get; set; }
}
