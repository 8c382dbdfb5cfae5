namespace IdentityHub.PasswordResets;

/// <summary>
/// The latest reset request for one email in one tenant, whether or not an account has that email: every request
/// writes (or overwrites) its row the same way, so the database does not tell a known email from an unknown one. A
/// link works only while it names the row's <see cref="RequestId"/> (a newer request supersedes it), before
/// <see cref="ExpiresAt"/>, and once (<see cref="UsedAt"/>).
/// </summary>
public sealed class PasswordResetTicket
{
    /// <summary>SHA-256 (hex) of the tenant and the normalised email (<see cref="PasswordResetTokens.TicketKey"/>): no email is stored.</summary>
    public string Key { get; set; } = "";

    /// <summary>The tenant asked in.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The latest request; its link carries the same id.</summary>
    public Guid RequestId { get; set; }

    /// <summary>When the latest request was made (UTC).</summary>
    public DateTime RequestedAt { get; set; }

    /// <summary>When its link stops working (UTC).</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>When its link reset the password (UTC), or null.</summary>
    public DateTime? UsedAt { get; set; }
}
