using IdentityHub.Notifications;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// Readiness of the mail outbox: degraded (never unhealthy: sign-in and changes still work, only their emails wait)
/// when a pending email's last delivery attempt failed, when the oldest pending email is older than
/// <see cref="ReadinessOptions.OutboxMaxPendingAge"/>, or when an email was given up within that time. Logout tokens
/// pushed to relying parties do not count: a relying party that is down or refuses is its own outage, not the provider's.
/// </summary>
internal sealed class OutboxHealthCheck(IdentityHubDbContext db, IOptions<ReadinessOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = clock.GetUtcNow().UtcDateTime - options.Value.OutboxMaxPendingAge;
        try
        {
            var outbox = db.Outbox.AsNoTracking().Where(m => m.Destination == null);
            var failing = await outbox.CountAsync(m => m.Status == OutboxStatus.Pending && m.Attempts > 0, cancellationToken);
            var stale = await outbox.CountAsync(m => m.Status == OutboxStatus.Pending && m.CreatedAt < since, cancellationToken);
            // A given-up message's NextAttemptAt is when its last attempt was due.
            var givenUp = await outbox.CountAsync(m => m.Status == OutboxStatus.Failed && m.NextAttemptAt >= since, cancellationToken);
            var data = new Dictionary<string, object> { ["failing"] = failing, ["stale"] = stale, ["given_up"] = givenUp };
            return failing + stale + givenUp == 0
                ? HealthCheckResult.Healthy(data: data)
                : HealthCheckResult.Degraded("The outbox cannot deliver email.", data: data);
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Degraded("The outbox cannot be read.");
        }
    }
}
