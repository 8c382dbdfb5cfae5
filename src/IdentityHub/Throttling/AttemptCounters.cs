using Microsoft.Extensions.Logging;

namespace IdentityHub.Throttling;

/// <summary>
/// Makes the attempt counters of the throttles and the per-IP lockout: in Redis when <c>IdentityHub:Redis:Configuration</c>
/// is set (one count across every instance), else in memory (each instance counts its own share).
/// </summary>
public sealed class AttemptCounters(SharedRedis redis, TimeProvider clock, ILogger<RedisAttemptCounter> logger)
{
    /// <summary>A counter; <paramref name="name"/> keeps its keys apart from the other counters' in Redis.</summary>
    public IAttemptCounter Create(string name) =>
        redis.Enabled ? new RedisAttemptCounter(redis, name, clock, logger) : new AttemptCounter(clock);
}
