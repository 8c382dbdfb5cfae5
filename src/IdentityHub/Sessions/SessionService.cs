using System.Security.Cryptography;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.BackchannelLogout;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using IdentityHub.SharedSignals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Sessions;

/// <summary>
/// Creates, checks and revokes sign-in sessions (<see cref="HubSession"/>). Every revocation goes through
/// <see cref="EndAsync"/>, which tells the relying parties of each ended session (back-channel logout) in the same
/// transaction, so every way a session ends (a password change or reset, a sign-out, the security page, an
/// administrator) notifies them alike.
/// </summary>
public sealed class SessionService(
    IdentityHubDbContext db, TimeProvider clock, IOptions<SessionLifetimeOptions> lifetimes, BackchannelLogoutQueue logouts,
    SecurityEventQueue signals, OutboxSignal outbox)
{
    /// <summary>
    /// A use is written at most this often per session. Idle lifetimes are counted in days, so a minute's precision
    /// costs nothing, while writing on every call would put each API request behind SQLite's single writer.
    /// </summary>
    public static readonly TimeSpan UseRecordingInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// This request's last answer (the service is scoped): userinfo, a refresh and a code exchange ask twice, once
    /// while OpenIddict validates the token and once in the endpoint, and the second answer is this one. Every write
    /// through this service forgets it.
    /// </summary>
    private (string SessionId, Guid UserId, ActiveSession? Found)? lastAnswer;

    /// <summary>
    /// Starts a session for a user who has just proven their password. <paramref name="user"/> must be the entity the
    /// password was verified against: the session records its security stamp, so a sign-in that verified a password
    /// which a concurrent change has since replaced starts a session that is already inactive.
    /// <paramref name="origin"/>'s IP address and User-Agent (cut to <see cref="HubSession.MaxUserAgentLength"/>) are
    /// kept for the person's security page.
    /// </summary>
    public async Task<HubSession> StartAsync(HubUser user, string? clientId, RequestOrigin? origin = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new HubSession
        {
            Id = Base64UrlEncode(RandomNumberGenerator.GetBytes(16)),
            UserId = user.Id,
            TenantId = user.TenantId,
            ClientId = clientId,
            SecurityStamp = user.SecurityStamp ?? "",
            AuthenticatedAt = now,
            CreatedAt = now,
            LastUsedAt = now,
            IpAddress = origin?.IpAddress,
            UserAgent = origin?.UserAgent is { Length: > HubSession.MaxUserAgentLength } ua ? ua[..HubSession.MaxUserAgentLength] : origin?.UserAgent,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        lastAnswer = null;
        return session;
    }

    /// <summary>
    /// True when the session exists, belongs to the user, has not been revoked, was started under the user's current
    /// security stamp (no password change since), and is within its absolute and idle lifetimes. Every place a token
    /// or cookie is accepted asks this, so that revocation never depends on token-store validation alone.
    /// </summary>
    public async Task<bool> IsActiveAsync(string? sessionId, Guid userId, CancellationToken cancellationToken = default) =>
        await FindAsync(sessionId, userId, cancellationToken) is not null;

    /// <summary>
    /// The account of an active session (<see cref="IsActiveAsync"/>), read by the same query and not tracked; null
    /// when the session is not active or the account no longer exists. An endpoint that has just had the token's
    /// session checked gets the user without another read.
    /// </summary>
    public async Task<HubUser?> FindActiveUserAsync(string? sessionId, Guid userId, CancellationToken cancellationToken = default) =>
        (await FindAsync(sessionId, userId, cancellationToken))?.User;

    /// <summary>
    /// Like <see cref="IsActiveAsync"/>, and records the use for the idle lifetime when the session is active: one
    /// UPDATE, issued only when the last recorded use is older than <see cref="UseRecordingInterval"/>.
    /// </summary>
    public async Task<bool> UseAsync(string? sessionId, Guid userId, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(sessionId, userId, cancellationToken) is not { LastUsedAt: var lastUsedAt } found)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - lastUsedAt >= UseRecordingInterval)
        {
            // The condition is repeated in the WHERE so that concurrent uses write once and never move it backwards.
            var before = now - UseRecordingInterval;
            await db.Sessions
                .Where(s => s.Id == sessionId && s.LastUsedAt <= before)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastUsedAt, now), cancellationToken);
            lastAnswer = (sessionId!, userId, found with { LastUsedAt = now });
        }
        return true;
    }

    /// <summary>
    /// Revokes every active session of a user, except <paramref name="keep"/> if given; returns how many were revoked.
    /// <paramref name="receiptId"/> marks the logout tokens it queues with the receipt of the password change that ends them.
    /// </summary>
    public Task<int> RevokeAllAsync(Guid userId, string? keep = null, Guid? receiptId = null, CancellationToken cancellationToken = default) =>
        EndAsync(userId, db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != keep), receiptId, cancellationToken);

    /// <summary>
    /// Moves sessions a password change keeps onto the user's new security stamp; call it inside the change's
    /// transaction. Only sessions still on <paramref name="previousStamp"/> move: one started under an even older
    /// password (an in-flight sign-in) stays inactive. <paramref name="onlySessionId"/> limits it to one session;
    /// null keeps every session of the user.
    /// </summary>
    public Task<int> KeepAcrossStampChangeAsync(Guid userId, string? previousStamp, string? newStamp, string? onlySessionId,
        CancellationToken cancellationToken = default)
    {
        lastAnswer = null;
        var from = previousStamp ?? "";
        var to = newStamp ?? "";
        return db.Sessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.SecurityStamp == from && (onlySessionId == null || s.Id == onlySessionId))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecurityStamp, to), cancellationToken);
    }

    /// <summary>Records that the user of a session has just re-entered their password (step-up).</summary>
    public Task<int> MarkReauthenticatedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        lastAnswer = null;
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions
            .Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.AuthenticatedAt, now), cancellationToken);
    }

    /// <summary>The user's active sessions, most recently used first.</summary>
    public async Task<IReadOnlyList<HubSession>> ListActiveAsync(Guid userId, CancellationToken cancellationToken = default) =>
        await Active(userId).Select(a => a.Session).OrderByDescending(s => s.LastUsedAt).ThenByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>
    /// Revokes one of the user's sessions if it is active; false when there is no such active session of this user
    /// (another user's, ended, unknown), and then nothing changes.
    /// </summary>
    public async Task<bool> RevokeActiveAsync(string sessionId, Guid userId, CancellationToken cancellationToken = default)
    {
        if (!await Active(userId).AnyAsync(a => a.Session.Id == sessionId, cancellationToken))
        {
            return false;
        }
        // Revoking an already revoked session (a racing request) writes nothing and still answers "ended".
        return await RevokeAsync(sessionId, userId, cancellationToken) > 0;
    }

    /// <summary>Revokes one session of a user (sign-out); a missing or foreign session is ignored.</summary>
    public Task<int> RevokeAsync(string? sessionId, Guid userId, CancellationToken cancellationToken = default) =>
        EndAsync(userId, db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null), null, cancellationToken);

    /// <summary>
    /// Records that <paramref name="clientId"/> was issued tokens of a session (see <see cref="SessionClient"/>): one
    /// insert that does nothing when the row exists, so repeated sign-ins of the client in one session cost one statement.
    /// </summary>
    public Task<int> RecordClientAsync(string sessionId, string clientId, string issuer, CancellationToken cancellationToken = default) =>
        // ON CONFLICT DO NOTHING is the same in SQLite and PostgreSQL; a failed insert would abort a PostgreSQL transaction.
        db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"SessionClients\" (\"SessionId\", \"ClientId\", \"Issuer\") VALUES ({sessionId}, {clientId}, {issuer}) ON CONFLICT DO NOTHING",
            cancellationToken);

    /// <summary>
    /// The one place sessions end: revokes <paramref name="ending"/> (sessions of <paramref name="userId"/>) and, in the
    /// same transaction (the caller's, or its own), writes to the outbox a logout token for each client of each ended
    /// session that registered a back-channel logout URI, and one CAEP <c>session-revoked</c> SET per stream of the
    /// user's tenant that asked for it when at least one session ended. Sessions with such clients are revoked one by
    /// one with a conditional update, so of two racing revocations only the one that ended a session tells its clients;
    /// the others are revoked in one update. <paramref name="receiptId"/>, when a password change ends them, marks every
    /// message written with its receipt.
    /// </summary>
    private async Task<int> EndAsync(Guid userId, IQueryable<HubSession> ending, Guid? receiptId, CancellationToken cancellationToken)
    {
        lastAnswer = null;
        var now = clock.GetUtcNow().UtcDateTime;
        var owed = await logouts.FindAsync(ending, now, cancellationToken);
        if (owed.Count == 0 && !await signals.AnySessionRevokedStreamAsync(userId, cancellationToken))
        {
            return await RevokeCountingLiveAsync(ending, now, cancellationToken);
        }
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var ended = 0;
        foreach (var session in owed.GroupBy(l => l.SessionId, StringComparer.Ordinal))
        {
            if (await RevokeNowAsync(db.Sessions.Where(s => s.Id == session.Key && s.RevokedAt == null), now, cancellationToken) == 1)
            {
                ended++;
                foreach (var logout in session)
                {
                    logouts.Queue(logout, now, receiptId);
                }
            }
        }
        ended += await RevokeCountingLiveAsync(ending, now, cancellationToken);
        if (ended > 0)
        {
            await signals.QueueSessionRevokedAsync(userId, now, receiptId, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
            // A caller's transaction is its to commit, and its to signal (the password change does).
            outbox.Notify();
        }
        return ended;
    }

    /// <summary>
    /// Revokes the sessions, and counts only those still within their lifetimes: one past them had already ended for
    /// everyone, so a receipt (or "signed out of N devices") does not count it again.
    /// </summary>
    private async Task<int> RevokeCountingLiveAsync(IQueryable<HubSession> sessions, DateTime now, CancellationToken cancellationToken)
    {
        var createdAfter = now - lifetimes.Value.AbsoluteLifetime;
        var usedAfter = now - lifetimes.Value.IdleLifetime;
        var live = await RevokeNowAsync(sessions.Where(s => s.CreatedAt > createdAfter && s.LastUsedAt > usedAfter), now, cancellationToken);
        // The rest, already ended by their lifetimes: revoked too, not counted.
        await RevokeNowAsync(sessions, now, cancellationToken);
        return live;
    }

    private static Task<int> RevokeNowAsync(IQueryable<HubSession> sessions, DateTime now, CancellationToken cancellationToken) =>
        sessions.Where(s => s.RevokedAt == null).ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now), cancellationToken);

    /// <summary>The last recorded use of an active session and its account, or null when the session is not active (one query).</summary>
    private async Task<ActiveSession?> FindAsync(string? sessionId, Guid userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return null;
        }
        if (lastAnswer is { } last && last.SessionId == sessionId && last.UserId == userId)
        {
            return last.Found;
        }
        var found = await Active(userId)
            .Where(a => a.Session.Id == sessionId)
            .Select(a => new { a.Session.LastUsedAt, a.User })
            .FirstOrDefaultAsync(cancellationToken);
        ActiveSession? answer = found is null ? null : new ActiveSession(found.LastUsedAt, found.User);
        lastAnswer = (sessionId, userId, answer);
        return answer;
    }

    /// <summary>An active session's last recorded use, and its account (null once deleted).</summary>
    private readonly record struct ActiveSession(DateTime LastUsedAt, HubUser? User);

    /// <summary>
    /// The user's active sessions with their account, by the one definition every check uses: not revoked, started
    /// under the account's current security stamp, within the absolute and idle lifetimes. One query reads both, so a
    /// check that needs the account (userinfo, refresh) costs no second read.
    /// </summary>
    private IQueryable<SessionAndAccount> Active(Guid userId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var createdAfter = now - lifetimes.Value.AbsoluteLifetime;
        var usedAfter = now - lifetimes.Value.IdleLifetime;
        // "No account with another stamp" rather than "an account with this stamp": a deleted account is reported by
        // each caller in its own terms (the seed 002 dialect's USER_NOT_FOUND), not as an ended session.
        return from s in db.Sessions.AsNoTracking()
               where s.UserId == userId && s.RevokedAt == null && s.CreatedAt > createdAfter && s.LastUsedAt > usedAfter
               join u in db.Users.AsNoTracking() on s.UserId equals u.Id into users
               from u in users.DefaultIfEmpty()
               where u == null || u.SecurityStamp == s.SecurityStamp
               select new SessionAndAccount { Session = s, User = u };
    }

    /// <summary>An active session and its account (null once the account is deleted).</summary>
    private sealed class SessionAndAccount
    {
        public required HubSession Session { get; init; }

        public HubUser? User { get; init; }
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
