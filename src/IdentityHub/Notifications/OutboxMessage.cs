namespace IdentityHub.Notifications;

/// <summary>
/// An email waiting to be sent, written in the same transaction as the change it reports, so that the two commit
/// or roll back together. The body is rendered when the message is written.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Id; also the stable Message-ID of the email, so a retried delivery is recognisable as the same message.</summary>
    public Guid Id { get; set; }

    /// <summary>What kind of email (e.g. <c>password_changed</c>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>Recipient address.</summary>
    public string ToAddress { get; set; } = "";

    /// <summary>Recipient name, optional.</summary>
    public string? ToName { get; set; }

    /// <summary>The culture the message was rendered in.</summary>
    public string Culture { get; set; } = "en";

    /// <summary>Subject.</summary>
    public string Subject { get; set; } = "";

    /// <summary>HTML part.</summary>
    public string HtmlBody { get; set; } = "";

    /// <summary>Plain-text part.</summary>
    public string TextBody { get; set; } = "";

    /// <summary>Delivery state.</summary>
    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;

    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due (UTC).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>When the message was written (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the server accepted it (UTC).</summary>
    public DateTime? SentAt { get; set; }

    /// <summary>
    /// The instance delivering the message now (<see cref="Persistence.HubInstance.Id"/> and the pass), or null. Taken
    /// with a conditional update, so one instance at a time delivers a message.
    /// </summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When <see cref="LeaseOwner"/>'s claim ends (UTC): after that another instance may deliver the message.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The last delivery error (exception type and message, truncated), if any.</summary>
    public string? LastError { get; set; }

    /// <summary>A pending message of <paramref name="kind"/> to <paramref name="user"/>'s email, due at once.</summary>
    public static OutboxMessage Create(string kind, Accounts.HubUser user, System.Globalization.CultureInfo culture, RenderedEmail rendered, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        Kind = kind,
        ToAddress = user.Email ?? "",
        ToName = user.DisplayName,
        Culture = culture.Name,
        Subject = rendered.Subject,
        HtmlBody = rendered.HtmlBody,
        TextBody = rendered.TextBody,
        CreatedAt = at.UtcDateTime,
        NextAttemptAt = at.UtcDateTime,
    };
}
