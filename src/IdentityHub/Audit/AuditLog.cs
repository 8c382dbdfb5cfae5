using IdentityHub.Persistence;

namespace IdentityHub.Audit;

/// <summary>
/// Records security events. <see cref="Add"/> stages an event in the caller's unit of work so that it commits or
/// rolls back with the change it describes; <see cref="RecordAsync"/> saves at once.
/// </summary>
public sealed class AuditLog(IdentityHubDbContext db, TimeProvider clock)
{
    private const int MaxUserAgentLength = 256;

    /// <summary>Stages an event; it is written by the next <c>SaveChanges</c> of the shared context.</summary>
    public AuditEvent Add(string type, Guid tenantId, Guid? userId, RequestOrigin origin)
    {
        var entry = new AuditEvent
        {
            Type = type,
            TenantId = tenantId,
            UserId = userId,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
            ClientId = origin.ClientId,
            IpAddress = origin.IpAddress,
            UserAgent = origin.UserAgent is { Length: > MaxUserAgentLength } ua ? ua[..MaxUserAgentLength] : origin.UserAgent,
            SessionId = origin.SessionId,
        };
        db.AuditEvents.Add(entry);
        return entry;
    }

    /// <summary>Records an event and saves it immediately.</summary>
    public async Task RecordAsync(string type, Guid tenantId, Guid? userId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        Add(type, tenantId, userId, origin);
        await db.SaveChangesAsync(cancellationToken);
    }
}
