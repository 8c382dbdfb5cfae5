namespace IdentityHub.StepUp;

/// <summary>A validated step-up token: who re-authenticated, in which session, when, and the token's id.</summary>
/// <param name="TokenId">The <c>jti</c>; a password change consumes it so it cannot be replayed.</param>
/// <param name="UserId">The <c>sub</c>.</param>
/// <param name="TenantId">The <c>tid</c>.</param>
/// <param name="SessionId">The <c>sid</c> of the access token it was derived from.</param>
/// <param name="AuthenticatedAt">The re-authentication time (<c>auth_time</c>).</param>
/// <param name="ExpiresAt">The <c>exp</c>.</param>
/// <param name="ClientId">The <c>client_id</c> the token was issued to; a change accepts it only with that client's access token.</param>
public sealed record StepUpProof(string TokenId, Guid UserId, Guid TenantId, string SessionId, DateTimeOffset AuthenticatedAt, DateTimeOffset ExpiresAt, string? ClientId);
