using System.ComponentModel.DataAnnotations;

namespace IdentityHub.SharedSignals;

/// <summary>
/// Shared Signals Framework transmitter: stream limits and push delivery. Bound from <c>IdentityHub:SharedSignals</c>.
/// Retries, backoff and the number of attempts are the outbox's (<c>IdentityHub:Mail</c>).
/// </summary>
public sealed class SharedSignalsOptions
{
    /// <summary>How many streams one receiver (client) may have; one more is refused with 409. Default 5.</summary>
    [Range(1, 100)]
    public int MaxStreamsPerClient { get; set; } = 5;

    /// <summary>
    /// How long one push may take, connection included, before it counts as failed and is retried. At most half of
    /// <c>IdentityHub:Mail:LeaseDuration</c> is used. Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most SETs one poll answers (a receiver's <c>maxEvents</c> is capped to it). Default 100.</summary>
    [Range(1, 1000)]
    public int MaxPollEvents { get; set; } = 100;
}
