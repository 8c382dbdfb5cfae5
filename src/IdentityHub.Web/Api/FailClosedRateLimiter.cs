using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace IdentityHub.Web.Api;

/// <summary>
/// A rate limiter whose counter lives elsewhere (Redis), made to fail closed: when the counter cannot be reached, the
/// request is refused (with <see cref="RetryAfter"/>) rather than let through uncounted, which would lift the limit for
/// anyone able to make Redis slow.
/// </summary>
internal sealed class FailClosedRateLimiter(RateLimiter inner) : RateLimiter
{
    /// <summary>What a refused request is told to wait while the counter is unreachable.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        try
        {
            return inner.AttemptAcquire(permitCount);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new Refused();
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new Refused();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class Refused : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? RetryAfter : null;
            return metadata is not null;
        }
    }
}
