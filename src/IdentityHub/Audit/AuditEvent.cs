namespace IdentityHub.Audit;

/// <summary>
/// A security event of an account (sign-in, failed sign-in, password change). Never holds a password, hash or token.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>A stable event type, see <see cref="AuditEventTypes"/>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The tenant concerned.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The account concerned, if known.</summary>
    public Guid? UserId { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime OccurredAt { get; set; }

    /// <summary>The OAuth client through which it happened, if any.</summary>
    public string? ClientId { get; set; }

    /// <summary>The remote IP address, if known.</summary>
    public string? IpAddress { get; set; }

    /// <summary>The user agent, truncated, if known.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The sign-in session concerned, if any.</summary>
    public string? SessionId { get; set; }
}
