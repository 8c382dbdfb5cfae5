using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Housekeeping;

/// <summary>
/// How long ended and used-up rows are kept before <see cref="HousekeepingService"/> deletes them, and how often it
/// runs. Bound from <c>IdentityHub:Housekeeping</c>.
/// </summary>
public sealed class HousekeepingOptions
{
    /// <summary>Run the background job. Default true; false keeps every row (prune by other means).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs; the first run comes one interval after the host starts. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// OpenIddict tokens and authorizations created longer ago than this are deleted once they are no longer valid
    /// (expired, redeemed, revoked), with OpenIddict's own pruning. Default 14 days (OpenIddict's Quartz job's default);
    /// at least 1 day, so a refresh token just redeemed is still recognised when it is replayed.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TokenRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Sign-in sessions are deleted this long after they ended (signed out, revoked, or past their absolute or idle lifetime). Default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan SessionRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Sent messages (emails, logout tokens, SETs) are deleted this long after they were sent, and a Shared Signals SET
    /// waiting to be polled this long after it was written (its receiver stopped polling). Other pending messages, and
    /// failed ones, are never deleted. Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Audit events are deleted this long after they happened; 0 keeps them forever. Default 365 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00")]
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Rows deleted per statement, so each write lock on the SQLite file stays short. Default 1000.</summary>
    [Range(10, 100_000)]
    public int BatchSize { get; set; } = 1000;
}
