using System.ComponentModel.DataAnnotations;

namespace IdentityHub.PasswordResets;

/// <summary>
/// Forgotten-password resets: how long a link works and how often one may be asked for. Bound from
/// <c>IdentityHub:PasswordResets</c>. Requests are counted in Redis across instances when
/// <c>IdentityHub:Redis:Configuration</c> is set, else in memory, per instance (N instances: up to N times each limit).
/// </summary>
public sealed class PasswordResetOptions
{
    /// <summary>How long a reset link works after it was sent. Default 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Reset requests from one client IP (IPv6: its /64), whatever the email, in one minute. Default 10: enough for a
    /// person who mistypes their email, not for a script walking a list of addresses.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerIpPerMinute { get; set; } = 10;

    /// <summary>
    /// Reset requests for one email in one tenant (known or not: the answer must not differ), from any IP, in one
    /// hour. Default 5: nobody's mailbox is flooded with reset emails.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerAccountPerHour { get; set; } = 5;
}
