namespace IdentityHub.Notifications;

/// <summary>
/// A message waiting to be delivered, written in the same transaction as the change it reports, so that the two commit
/// or roll back together: an email (its body rendered when written), or a signed token pushed to a relying party's
/// registered endpoint (<see cref="Destination"/>; its claims fixed when written, signed when delivered).
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Id; also the stable Message-ID of the email, so a retried delivery is recognisable as the same message.</summary>
    public Guid Id { get; set; }

    /// <summary>What kind of message (e.g. <c>password_changed</c>, <see cref="BackchannelLogout.LogoutTokens.Kind"/>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>
    /// Recipient: an email address, for a logout token the <c>client_id</c> it is for, for a Security Event Token its
    /// stream's id (<see cref="SharedSignals.SecurityEventTokens.StreamAddress"/>).
    /// </summary>
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

    /// <summary>
    /// For a pushed token: the receiver's endpoint, exactly as its client registered it when the message was written
    /// (no other address is ever called; a SET's follows its stream's changes). For a polled SET the poll method's URN
    /// (nothing is called). Null for an email.
    /// </summary>
    public string? Destination { get; set; }

    /// <summary>
    /// For a pushed token: its claims as a JSON object, fixed when written: for a logout token strings (<c>iss</c>,
    /// <c>aud</c>, <c>sub</c>, <c>sid</c>), for a SET <c>iss</c>, <c>aud</c>, <c>sub_id</c> and <c>events</c>. <c>iat</c>, <c>exp</c> and <c>jti</c> (this message's id, the same at every attempt) are
    /// added, and the token signed with the current key, at each delivery attempt, so a token delivered after an outage
    /// is fresh. Null for an email.
    /// </summary>
    public string? TokenClaims { get; set; }

    /// <summary>For a pushed token: the HTTP status of the receiver's last answer, if it answered.</summary>
    public int? ResponseStatus { get; set; }

    /// <summary>
    /// The <see cref="PasswordChanges.PasswordChangeReceipt"/> of the password change that wrote this message (its email,
    /// its logout tokens), or null for a message written by anything else (a sign-out, a reset link).
    /// </summary>
    public Guid? ReceiptId { get; set; }

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
