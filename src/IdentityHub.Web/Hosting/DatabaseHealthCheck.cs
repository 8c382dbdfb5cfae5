using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdentityHub.Web.Hosting;

/// <summary>Readiness: the database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IdentityHubDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A real query against a migrated table: an empty or unmigrated file is not "ready".
            await db.Tenants.AsNoTracking().AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}
