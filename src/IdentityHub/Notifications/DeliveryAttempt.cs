namespace IdentityHub.Notifications;

/// <summary>The outcome of one attempt to deliver an outbox message.</summary>
/// <param name="Delivered">The receiver accepted it (final).</param>
/// <param name="Retry">Not delivered, and worth another attempt (an outage, a timeout, a 5xx, 408 or 429).</param>
/// <param name="Status">The receiver's HTTP status, when it answered one.</param>
/// <param name="Error">What went wrong, for <see cref="OutboxMessage.LastError"/>; never a token or a secret.</param>
public sealed record DeliveryAttempt(bool Delivered, bool Retry, int? Status, string? Error)
{
    /// <summary>Accepted.</summary>
    public static DeliveryAttempt Success(int? status = null) => new(true, false, status, null);

    /// <summary>Failed now, worth retrying.</summary>
    public static DeliveryAttempt Transient(string error, int? status = null) => new(false, true, status, error);

    /// <summary>Refused for good (the receiver said the message itself is wrong): failed at once, never retried.</summary>
    public static DeliveryAttempt Rejected(string error, int status) => new(false, false, status, error);
}
