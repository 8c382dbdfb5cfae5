using IdentityHub.Persistence;
using IdentityHub.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityHub.BackchannelLogout;

/// <summary>
/// Which relying parties to tell that sessions are ending: for each session, the clients that got tokens of it
/// (<see cref="SessionClient"/>) and have a back-channel logout URI registered now. <see cref="SessionService"/> asks
/// this before it revokes, and writes one outbox message per session and client in the revocation's transaction.
/// </summary>
public sealed class BackchannelLogoutQueue(IdentityHubDbContext db, IServiceProvider services, IOptions<SessionLifetimeOptions> lifetimes)
{
    /// <summary>
    /// The logouts owed for the still-live sessions among <paramref name="ending"/> (one read when no client of them
    /// received tokens). A session past its lifetimes already ended for its clients, whose tokens stopped working then.
    /// </summary>
    public async Task<IReadOnlyList<OwedLogout>> FindAsync(IQueryable<HubSession> ending, DateTime now, CancellationToken cancellationToken)
    {
        var createdAfter = now - lifetimes.Value.AbsoluteLifetime;
        var usedAfter = now - lifetimes.Value.IdleLifetime;
        var pairs = await (from s in ending.AsNoTracking()
                           where s.RevokedAt == null && s.CreatedAt > createdAfter && s.LastUsedAt > usedAfter
                           join c in db.SessionClients.AsNoTracking() on s.Id equals c.SessionId
                           select new { s.Id, s.UserId, c.ClientId, c.Issuer }).ToListAsync(cancellationToken);
        if (pairs.Count == 0)
        {
            return [];
        }
        // Resolved only now: the many requests that end no session with clients never build OpenIddict's manager.
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        var uris = new Dictionary<string, Uri?>(StringComparer.Ordinal);
        foreach (var clientId in pairs.Select(p => p.ClientId).Distinct(StringComparer.Ordinal))
        {
            uris[clientId] = await BackchannelLogoutRegistration.FindUriAsync(applications, clientId, cancellationToken);
        }
        return [.. pairs.Where(p => uris[p.ClientId] is not null).Select(p => new OwedLogout(p.Id, p.UserId, p.ClientId, p.Issuer, uris[p.ClientId]!))];
    }

    /// <summary>
    /// Adds the outbox message of <paramref name="logout"/> to the context (saved with the revocation), marked with the
    /// receipt of the password change that ended the session, if one did.
    /// </summary>
    public void Queue(OwedLogout logout, DateTime now, Guid? receiptId = null)
    {
        var message = LogoutTokens.CreateMessage(logout.Issuer, logout.ClientId, logout.Destination, logout.UserId, logout.SessionId, now);
        message.ReceiptId = receiptId;
        db.Outbox.Add(message);
    }
}
