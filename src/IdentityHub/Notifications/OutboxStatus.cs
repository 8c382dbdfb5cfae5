namespace IdentityHub.Notifications;

/// <summary>Where an outbox message stands.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending = 0,

    /// <summary>Accepted by the mail server (final).</summary>
    Sent = 1,

    /// <summary>Gave up after the configured number of attempts (final).</summary>
    Failed = 2,
}
