using IdentityHub.BackchannelLogout;
using IdentityHub.Notifications;
using IdentityHub.SharedSignals;

namespace IdentityHub.PasswordChanges;

/// <summary>The words a receipt uses for its deliveries' kinds and statuses, and the mapping from outbox rows.</summary>
public static class ReceiptDeliveries
{
    /// <summary>The password-changed email.</summary>
    public const string Email = "email";

    /// <summary>A back-channel logout token to a relying party.</summary>
    public const string BackchannelLogout = LogoutTokens.Kind;

    /// <summary>
    /// A Shared Signals Security Event Token (CAEP <c>credential-change</c> or <c>session-revoked</c>) to a stream, pushed
    /// or waiting to be polled; its recipient is the stream's id.
    /// </summary>
    public const string SecurityEvent = "security_event";

    /// <summary>Waiting for its first or next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>Accepted by the receiver (final).</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up on (final): refused by the receiver, or out of attempts.</summary>
    public const string Failed = "failed";

    /// <summary>The delivery an outbox row stands for.</summary>
    public static ReceiptDelivery From(OutboxMessage message) => new(
        message.Kind switch
        {
            PasswordChangedNotifier.Kind => Email,
            SecurityEventTokens.PushKind or SecurityEventTokens.PollKind => SecurityEvent,
            _ => message.Kind,
        },
        message.ToAddress,
        message.Status switch { OutboxStatus.Sent => Delivered, OutboxStatus.Failed => Failed, _ => Pending },
        message.Status == OutboxStatus.Sent ? message.SentAt : null,
        message.ResponseStatus,
        message.LastError,
        message.Attempts);
}
