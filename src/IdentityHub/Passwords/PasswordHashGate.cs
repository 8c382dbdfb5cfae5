using System.Threading.RateLimiting;
using IdentityHub.Telemetry;
using Microsoft.Extensions.Options;

namespace IdentityHub.Passwords;

/// <summary>
/// Admits at most <see cref="PasswordHashingOptions.MaxConcurrent"/> password hashes and verifications at once,
/// process-wide, with a short queue (<see cref="PasswordHashingOptions.QueueLimit"/>); past that a hash is refused
/// at once with <see cref="PasswordHashingBusyException"/>, which every endpoint answers with 503 and
/// <c>Retry-After</c>. Without it a flood of wrong passwords at 210,000 PBKDF2 iterations puts one hash per request
/// on the thread pool and starves everything else (token issuance, page rendering) of CPU and threads.
/// Used in exactly the two places that run PBKDF2 on a password: the registered hasher
/// (<see cref="NormalizingPasswordHasher"/>) and <see cref="PasswordHistory.Fingerprint"/>.
/// </summary>
public sealed class PasswordHashGate : IDisposable
{
    /// <summary>What a refused request is told: the queue drains within a few hash durations (about 0.1 s each).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The thread pool's minimum before any gate raised it.</summary>
    private static readonly int BaselineMinWorkerThreads = GetMinWorkerThreads();

    private readonly ConcurrencyLimiter limiter;
    private readonly int queueLimit;
    private readonly IdentityHubMetrics? metrics;

    public PasswordHashGate(IOptions<PasswordHashingOptions> options, IdentityHubMetrics? metrics = null)
    {
        this.metrics = metrics;
        var settings = options.Value;
        queueLimit = settings.EffectiveQueueLimit;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.EffectiveMaxConcurrent,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        // Hashes run, and queued hashes wait, on thread-pool threads: up to MaxConcurrent + QueueLimit of them are
        // held here at once. The pool only starts threads beyond its minimum (one per core) slowly, so without this
        // a flood that fills the gate leaves every other request (token issuance, pages) waiting for threads, not
        // CPU: measured 17 token requests/s instead of several hundred (docs/benchmarks.md).
        // Raised from the process's own minimum, never lowered, so several gates (test hosts) do not add up.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = BaselineMinWorkerThreads + settings.EffectiveMaxConcurrent + queueLimit;
        if (wanted > workers)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }

    /// <summary>
    /// False when every slot is taken and the queue is full right now: a caller can refuse before doing any work that
    /// a refused hash would waste (the lockout reservation writes to the database). Only a hint (the gate may fill or
    /// free a moment later); <see cref="Enter"/> is what enforces. Every caller refuses on false, so false is counted
    /// as a throttled request.
    /// </summary>
    public bool HasRoom
    {
        get
        {
            var statistics = limiter.GetStatistics();
            var room = statistics is null || statistics.CurrentAvailablePermits > 0 || statistics.CurrentQueuedCount < queueLimit;
            if (!room)
            {
                metrics?.Throttled(IdentityHubMetrics.Throttles.HashGate);
            }
            return room;
        }
    }

    /// <summary>
    /// Waits for a slot (only while the queue has room) and returns it; dispose it when the hash is done.
    /// The hasher's interface is synchronous, so a queued hash blocks its thread while it waits: at most
    /// <see cref="PasswordHashingOptions.QueueLimit"/> threads, each for about as long as the hashes ahead of it.
    /// </summary>
    /// <exception cref="PasswordHashingBusyException">Every slot is taken and the queue is full.</exception>
    public IDisposable Enter()
    {
        var pending = limiter.AcquireAsync(1);
        var lease = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            metrics?.Throttled(IdentityHubMetrics.Throttles.HashGate);
            throw new PasswordHashingBusyException(RetryAfter);
        }
        return lease;
    }

    public void Dispose() => limiter.Dispose();

    private static int GetMinWorkerThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        return workers;
    }
}

/// <summary>Too many password hashes are running or waiting: the request is refused at once, to be retried later.</summary>
public sealed class PasswordHashingBusyException(TimeSpan retryAfter)
    : Exception("Too many password hashes are running; try again shortly.")
{
    /// <summary>When to try again.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
