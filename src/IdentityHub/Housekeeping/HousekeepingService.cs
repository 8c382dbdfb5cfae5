using IdentityHub.Notifications;
using IdentityHub.Persistence;
using IdentityHub.Sessions;
using IdentityHub.SharedSignals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityHub.Housekeeping;

/// <summary>
/// One housekeeping pass: deletes what can never be used again once its retention has passed, so no table grows
/// forever. OpenIddict's tokens and authorizations go through OpenIddict's own pruning (as its Quartz job does); our
/// tables are deleted in batches of <see cref="HousekeepingOptions.BatchSize"/> rows, each its own short write.
/// </summary>
public sealed class HousekeepingService(
    IdentityHubDbContext db, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations,
    IOptions<HousekeepingOptions> options, IOptions<SessionLifetimeOptions> lifetimes, TimeProvider clock)
{
    /// <summary>Runs one pass now and reports what it deleted.</summary>
    public async Task<HousekeepingReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var utcNow = now.UtcDateTime;

        // Tokens first: pruning an authorization also removes its tokens, and a token's prune needs no authorization.
        var prunedTokens = await tokens.PruneAsync(now - settings.TokenRetention, cancellationToken);
        var prunedAuthorizations = await authorizations.PruneAsync(now - settings.TokenRetention, cancellationToken);

        // A session ended when it was revoked, or when its absolute or idle lifetime ran out.
        var sessionsEndedBefore = utcNow - settings.SessionRetention;
        var createdBefore = sessionsEndedBefore - lifetimes.Value.AbsoluteLifetime;
        var lastUsedBefore = sessionsEndedBefore - lifetimes.Value.IdleLifetime;
        var sessions = await DeleteAsync(db.Sessions.Where(s =>
            s.RevokedAt < sessionsEndedBefore || s.CreatedAt < createdBefore || s.LastUsedAt < lastUsedBefore), cancellationToken);

        // Sent messages, and SETs a poll stream's receiver has not fetched for as long (SSF's inactivity: it stopped
        // polling); any other pending message may still be delivered, and a failed one is kept for the operator.
        var sentBefore = utcNow - settings.OutboxRetention;
        var outbox = await DeleteAsync(db.Outbox.Where(m => (m.Status == OutboxStatus.Sent && m.SentAt < sentBefore) ||
            (m.Status == OutboxStatus.Pending && m.Kind == SecurityEventTokens.PollKind && m.CreatedAt < sentBefore)), cancellationToken);

        // Past its expiry a step-up token is refused anyway, so its jti need not be remembered.
        var stepUp = await DeleteAsync(db.ConsumedStepUpTokens.Where(c => c.ExpiresAt < utcNow), cancellationToken);
        // Likewise a reset ticket: its link is refused past its expiry (a newer request writes a new one).
        var resetTickets = await DeleteAsync(db.PasswordResetTickets.Where(t => t.ExpiresAt < utcNow), cancellationToken);

        var audit = 0;
        if (settings.AuditRetention > TimeSpan.Zero)
        {
            var occurredBefore = utcNow - settings.AuditRetention;
            audit = await DeleteAsync(db.AuditEvents.Where(a => a.OccurredAt < occurredBefore), cancellationToken);
        }
        return new HousekeepingReport(prunedTokens, prunedAuthorizations, sessions, outbox, stepUp, audit) { ResetTickets = resetTickets };
    }

    /// <summary>Deletes the matching rows a batch at a time (one short write lock each) and counts them.</summary>
    private async Task<int> DeleteAsync<T>(IQueryable<T> rows, CancellationToken cancellationToken)
    {
        var batch = options.Value.BatchSize;
        var total = 0;
        int deleted;
        do
        {
            deleted = await rows.Take(batch).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == batch);
        return total;
    }
}
