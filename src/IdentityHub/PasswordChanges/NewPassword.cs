namespace IdentityHub.PasswordChanges;

/// <summary>A new password that passed every rule: its hash and its history fingerprint, nothing in clear.</summary>
public sealed record NewPassword(string Hash, string Fingerprint)
{
    /// <summary>Never print the hash.</summary>
    public override string ToString() => nameof(NewPassword);
}
