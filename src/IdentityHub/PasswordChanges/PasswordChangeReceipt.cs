namespace IdentityHub.PasswordChanges;

/// <summary>
/// What one successful password change did, written in the change's own transaction: who started it and through
/// which edge, and how many sessions, OpenIddict authorizations and tokens it ended. The deliveries it caused (the
/// email, each back-channel logout token) are the outbox rows carrying its id (<see cref="Notifications.OutboxMessage.ReceiptId"/>);
/// <see cref="PasswordChangeReceipts"/> reads both.
/// </summary>
public sealed class PasswordChangeReceipt
{
    /// <summary>Id (a version 7 UUID: ordered by time), also the id the change's caller gets.</summary>
    public Guid Id { get; set; }

    /// <summary>The account's tenant.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The account whose password changed.</summary>
    public Guid UserId { get; set; }

    /// <summary>When the change committed (UTC).</summary>
    public DateTime ChangedAt { get; set; }

    /// <summary>Who started it: <see cref="PasswordChangeInitiators.User"/>, <see cref="PasswordChangeInitiators.Reset"/> or <see cref="PasswordChangeInitiators.Admin"/>.</summary>
    public string Initiator { get; set; } = PasswordChangeInitiators.User;

    /// <summary>The edge that carried it (<see cref="PasswordChange.Dialect"/>: <c>v1</c>, <c>step-up</c>, <c>envelope</c>, <c>page</c>, <c>admin</c>).</summary>
    public string Channel { get; set; } = "";

    /// <summary>Sign-in sessions the change ended.</summary>
    public int SessionsEnded { get; set; }

    /// <summary>OpenIddict authorizations that were valid and are now revoked.</summary>
    public long AuthorizationsRevoked { get; set; }

    /// <summary>OpenIddict tokens (refresh tokens, stored access tokens, unused codes) that were valid and are now revoked.</summary>
    public long TokensRevoked { get; set; }
}
