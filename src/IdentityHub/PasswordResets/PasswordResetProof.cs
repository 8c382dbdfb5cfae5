namespace IdentityHub.PasswordResets;

/// <summary>
/// A reset link that passed every check: the ticket it names, consumed by the commit inside its transaction (so two
/// racing uses of one link cannot both succeed).
/// </summary>
/// <param name="TicketKey">The ticket's key.</param>
/// <param name="RequestId">The request the link was sent for.</param>
public sealed record PasswordResetProof(string TicketKey, Guid RequestId);
