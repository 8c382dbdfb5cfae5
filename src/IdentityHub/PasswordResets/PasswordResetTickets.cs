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
    /// <summary>
    /// Records a request in one transaction: the ticket of <paramref name="key"/> now names <paramref name="requestId"/>
    /// (superseding any earlier link), the audit event, and <paramref name="email"/> in the outbox when there is one.
    /// </summary>
    public async Task RecordRequestAsync(string key, Guid tenantId, Guid requestId, Guid? userId, RequestOrigin origin, OutboxMessage? email, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StageAsync(key, tenantId, requestId, userId, origin, email, cancellationToken);
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

    private async Task StageAsync(string key, Guid tenantId, Guid requestId, Guid? userId, RequestOrigin origin, OutboxMessage? email, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ticket = await db.PasswordResetTickets.FindAsync([key], cancellationToken);
        if (ticket is null)
        {
            ticket = new PasswordResetTicket { Key = key };
            db.PasswordResetTickets.Add(ticket);
        }
        ticket.TenantId = tenantId;
        ticket.RequestId = requestId;
        ticket.RequestedAt = now;
        ticket.ExpiresAt = now + options.Value.TokenLifetime;
        ticket.UsedAt = null;
        audit.Add(AuditEventTypes.PasswordResetRequested, tenantId, userId, origin);
        if (email is not null)
        {
            db.Outbox.Add(email);
        }
    }

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
