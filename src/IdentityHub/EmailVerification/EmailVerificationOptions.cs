using System.ComponentModel.DataAnnotations;

namespace IdentityHub.EmailVerification;

/// <summary>
/// Email verification links: how long one works and how often one may be sent. Bound from
/// <c>IdentityHub:EmailVerification</c>. Sends are counted like the reset throttle (Redis when configured, else per instance).
/// </summary>
public sealed class EmailVerificationOptions
{
    /// <summary>How long a verification link works after it was sent. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// At most one verification email per user in this time, however it is asked for (page, API, administrator), so
    /// nobody's mailbox is flooded. Default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(5);
}
