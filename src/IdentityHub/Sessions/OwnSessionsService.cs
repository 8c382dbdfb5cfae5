using IdentityHub.Audit;
using IdentityHub.Errors;

namespace IdentityHub.Sessions;

/// <summary>
/// A person's view of their own sign-in sessions (the security page and <c>/v1/users/me/sessions</c>): list the active
/// ones, end one, end all but the current one. Ending a session makes every token carrying its id unusable at once
/// (the session check of the account API, refresh, userinfo and introspection); each ending is audited.
/// </summary>
public sealed class OwnSessionsService(SessionService sessions, AuditLog audit)
{
    /// <summary>The user's active sessions, most recently used first.</summary>
    public Task<IReadOnlyList<HubSession>> ListAsync(Guid userId, CancellationToken cancellationToken = default) =>
        sessions.ListActiveAsync(userId, cancellationToken);

    /// <summary>
    /// Ends one active session of the user. Another user's session (of any tenant), an ended one and an unknown id
    /// all fail alike with <see cref="HubErrorCode.SessionNotFound"/>, and nothing changes: the answer must not tell a
    /// caller whether a session id exists elsewhere.
    /// </summary>
    public async Task<HubResult> SignOutAsync(Guid userId, Guid tenantId, string sessionId, RequestOrigin origin,
        CancellationToken cancellationToken = default)
    {
        if (!await sessions.RevokeActiveAsync(sessionId, userId, cancellationToken))
        {
            return HubResult.Failed(HubErrorCode.SessionNotFound);
        }
        await audit.RecordAsync(AuditEventTypes.SessionRevoked, tenantId, userId, origin with { SessionId = sessionId }, cancellationToken);
        return HubResult.Success;
    }

    /// <summary>Ends every session of the user except <paramref name="currentSessionId"/>; returns how many ended.</summary>
    public async Task<int> SignOutOthersAsync(Guid userId, Guid tenantId, string currentSessionId, RequestOrigin origin,
        CancellationToken cancellationToken = default)
    {
        var ended = await sessions.RevokeAllAsync(userId, currentSessionId, cancellationToken: cancellationToken);
        await audit.RecordAsync(AuditEventTypes.OtherSessionsRevoked, tenantId, userId, origin with { SessionId = currentSessionId }, cancellationToken);
        return ended;
    }
}
