namespace IdentityHub.Passwords;

/// <summary>
/// A fingerprint of a password a user has had (the current one included), for the <c>reused_password</c> rule.
/// </summary>
public sealed class PasswordHistoryEntry
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The user.</summary>
    public Guid UserId { get; set; }

    /// <summary>See <see cref="PasswordHistory.Fingerprint"/>; base64.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>When the password was set (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
