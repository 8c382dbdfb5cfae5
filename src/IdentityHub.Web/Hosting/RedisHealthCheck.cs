using IdentityHub.Throttling;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// Readiness: the configured Redis server answers a PING (nothing to check when none is configured). Unhealthy while
/// it does not, since the account API then refuses every counted request (fail closed).
/// </summary>
internal sealed class RedisHealthCheck(SharedRedis redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.Enabled)
        {
            return HealthCheckResult.Healthy("No Redis configured: rate limits are counted per instance.");
        }
        try
        {
            await redis.Connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis cannot be reached.");
        }
    }
}
