using System.Security.Cryptography;
using IdentityHub.Accounts;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Sessions;

/// <summary>Creates, checks and revokes sign-in sessions (<see cref="HubSession"/>).</summary>
public sealed class SessionService(IdentityHubDbContext db, TimeProvider clock)
{
    /// <summary>Starts a session for a user who has just proven their password.</summary>
    public async Task<HubSession> StartAsync(HubUser user, string? clientId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new HubSession
        {
            Id = Base64UrlEncode(RandomNumberGenerator.GetBytes(16)),
            UserId = user.Id,
            TenantId = user.TenantId,
            ClientId = clientId,
            AuthenticatedAt = now,
            CreatedAt = now,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    /// <summary>
    /// True when the session exists, belongs to the user and has not been revoked. The account API calls this for
    /// every request, so that revocation never depends on token-store validation alone.
    /// </summary>
    public Task<bool> IsActiveAsync(string? sessionId, Guid userId, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(sessionId)
            ? Task.FromResult(false)
            : db.Sessions.AsNoTracking().AnyAsync(
                s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null, cancellationToken);

    /// <summary>Revokes every active session of a user, except <paramref name="keep"/> if given; returns how many were revoked.</summary>
    public Task<int> RevokeAllAsync(Guid userId, string? keep = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != keep)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);
    }

    /// <summary>Records that the user of a session has just re-entered their password (step-up).</summary>
    public Task<int> MarkReauthenticatedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions
            .Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.AuthenticatedAt, now), cancellationToken);
    }

    /// <summary>Revokes one session of a user (sign-out); a missing or foreign session is ignored.</summary>
    public Task<int> RevokeAsync(string? sessionId, Guid userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions
            .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
