using IdentityHub.Throttling;

namespace IdentityHub.Accounts;

/// <summary>
/// The failed password checks per (client IP, account), behind <see cref="FailedAttempts"/>. In Redis, one count
/// across instances, when <c>IdentityHub:Redis:Configuration</c> is set; else in memory per instance and bounded
/// (<see cref="AttemptCounter"/>): no migration, and a restart only forgets a few minutes of per-IP counts while the
/// account-wide count stays in the database (and is one count across instances either way).
/// </summary>
public sealed class PerIpAttempts(AttemptCounters counters)
{
    /// <summary>The counters, keyed by <c>network key|user id</c>.</summary>
    public IAttemptCounter Counter { get; } = counters.Create("lockout-ip");

    /// <summary>The key of one client network and one account.</summary>
    public static string Key(string? ipAddress, Guid userId) => $"{AttemptCounter.NetworkKey(ipAddress)}|{userId:N}";
}
