using IdentityHub.Throttling;

namespace IdentityHub.Accounts;

/// <summary>
/// The process-wide table of failed password checks per (client IP, account), behind <see cref="FailedAttempts"/>.
/// In memory and bounded (<see cref="AttemptCounter"/>): no migration, and a restart only forgets a few minutes of
/// per-IP counts while the account-wide count stays in the database.
/// </summary>
public sealed class PerIpAttempts(TimeProvider clock)
{
    /// <summary>The counters, keyed by <c>network key|user id</c>.</summary>
    public AttemptCounter Counter { get; } = new(clock);

    /// <summary>The key of one client network and one account.</summary>
    public static string Key(string? ipAddress, Guid userId) => $"{AttemptCounter.NetworkKey(ipAddress)}|{userId:N}";
}
