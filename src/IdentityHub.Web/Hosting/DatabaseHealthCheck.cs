using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// Readiness: the configured database (the SQLite file or the PostgreSQL server) answers a query through the same
/// context the requests use, so a wrong connection string, a server down or a schema not yet migrated is "not ready".
/// </summary>
internal sealed class DatabaseHealthCheck(IdentityHubDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A real query against a migrated table: an empty or unmigrated database is not "ready".
            await db.Tenants.AsNoTracking().AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}
