namespace IdentityHub.Persistence;

/// <summary>
/// This running instance (one per host, a singleton): its id marks the leases it holds on outbox messages and
/// cluster-wide jobs, so that several instances over one database each know what is theirs.
/// </summary>
public sealed class HubInstance
{
    /// <summary>Host name, process id and a random part: unique per start (at most 64 characters), readable in the database when debugging.</summary>
    public string Id { get; } = $"{Truncate(Environment.MachineName, 20)}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
