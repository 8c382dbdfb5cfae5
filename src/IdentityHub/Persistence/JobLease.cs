namespace IdentityHub.Persistence;

/// <summary>
/// Who runs a cluster-wide job (such as housekeeping) until when: one row per job, taken by one instance at a time
/// with a conditional update (see <see cref="JobLeases"/>).
/// </summary>
public sealed class JobLease
{
    /// <summary>The job's name, e.g. <c>housekeeping</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The instance that holds the lease (<see cref="HubInstance.Id"/>).</summary>
    public string Owner { get; set; } = "";

    /// <summary>When the lease ends (UTC); after that any instance may take it.</summary>
    public DateTime ExpiresAt { get; set; }
}
