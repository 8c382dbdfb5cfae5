using System.ComponentModel.DataAnnotations;

namespace IdentityHub.BackchannelLogout;

/// <summary>
/// OpenID Connect Back-Channel Logout: how logout tokens are delivered. Bound from <c>IdentityHub:BackchannelLogout</c>.
/// Retries, backoff and the number of attempts are the outbox's (<c>IdentityHub:Mail</c>).
/// </summary>
public sealed class BackchannelLogoutOptions
{
    /// <summary>
    /// How long one delivery may take, connection included, before it counts as failed and is retried. At most half of
    /// <c>IdentityHub:Mail:LeaseDuration</c> is used, so a delivery always ends within the outbox's lease. Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a logout token is valid after it was signed (<c>exp</c> − <c>iat</c>). Each attempt signs a fresh one,
    /// so a token delivered after an outage is not expired. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(2);
}
