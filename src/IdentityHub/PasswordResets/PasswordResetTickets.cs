using IdentityHub.Audit;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.PasswordResets;

/// <summary>
/// Reads and writes <see cref="PasswordResetTicket"/>s. A request writes the same rows whether or not its email names
/// an account (the ticket and an audit event); only the email in the outbox differs.
/// </summary>
public sealed class PasswordResetTickets(IdentityHubDbContext db, AuditLog audit, OutboxSignal outbox, IOptions<PasswordResetOptions> options, TimeProvider clock)
{
    /// <summary>A link sent (or, for an unknown email, not): the ticket it names, its audit event and lifetime.</summary>
    /// <param name="Key">The ticket's key (<see cref="PasswordResetTokens.TicketKey"/> or <see cref="PasswordResetTokens.InvitationKey"/>).</param>
    /// <param name="TenantId">The tenant.</param>
    /// <param name="RequestId">The id the link carries.</param>
    /// <param name="UserId">The account, when there is one.</param>
    /// <param name="Origin">Where the request came from.</param>
    public sealed record Request(string Key, Guid TenantId, Guid RequestId, Guid? UserId, RequestOrigin Origin)
    {
        /// <summary>How long the link works; null: <see cref="PasswordResetOptions.TokenLifetime"/>.</summary>
        public TimeSpan? Lifetime { get; init; }

        /// <summary>The audit event written with the ticket.</summary>
        public string AuditType { get; init; } = AuditEventTypes.PasswordResetRequested;
    }

    /// <summary>
    /// Records a request in one transaction: the ticket of its key now names its request id (superseding any earlier
    /// link), the audit event, and <paramref name="email"/> in the outbox when there is one.
    /// </summary>
    public async Task RecordRequestAsync(Request request, OutboxMessage? email, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StageAsync(request, email, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // A concurrent first request for the same email inserted the ticket first: update it instead.
                db.ChangeTracker.Clear();
            }
        }
        if (email is not null)
        {
            outbox.Notify();
        }
    }

    private async Task StageAsync(Request request, OutboxMessage? email, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ticket = await db.PasswordResetTickets.FindAsync([request.Key], cancellationToken);
        if (ticket is null)
        {
            ticket = new PasswordResetTicket { Key = request.Key };
            db.PasswordResetTickets.Add(ticket);
        }
        ticket.TenantId = request.TenantId;
        ticket.RequestId = request.RequestId;
        ticket.RequestedAt = now;
        ticket.ExpiresAt = now + (request.Lifetime ?? options.Value.TokenLifetime);
        ticket.UsedAt = null;
        audit.Add(request.AuditType, request.TenantId, request.UserId, request.Origin);
        if (email is not null)
        {
            db.Outbox.Add(email);
        }
    }

    /// <summary>Whether the ticket of <paramref name="key"/> names <paramref name="requestId"/> (whatever its state).</summary>
    public Task<bool> NamesAsync(string key, Guid requestId, CancellationToken cancellationToken) =>
        db.PasswordResetTickets.AnyAsync(t => t.Key == key && t.RequestId == requestId, cancellationToken);

    /// <summary>Why a link for <paramref name="requestId"/> cannot be used now, or null when its ticket lets it.</summary>
    public async Task<string?> RefuseAsync(string key, Guid requestId, CancellationToken cancellationToken)
    {
        var ticket = await db.PasswordResetTickets.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        return ticket is null ? ResetLinkReasons.Invalid
            : ticket.RequestId != requestId ? ResetLinkReasons.Superseded
            : ticket.UsedAt is not null ? ResetLinkReasons.Used
            : ticket.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? ResetLinkReasons.Expired
            : null;
    }
}
