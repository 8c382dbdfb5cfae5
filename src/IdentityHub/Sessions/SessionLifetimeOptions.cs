using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Sessions;

/// <summary>How long a sign-in session (<see cref="HubSession"/>) may live. Bound from <c>IdentityHub:Sessions</c>.</summary>
public sealed class SessionLifetimeOptions
{
    /// <summary>
    /// The longest a session lives after the sign-in that created it, however often it is used: every token of it
    /// stops working then and the user signs in again. Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a session may go unused (no refresh, no account API call, no page visit) before it ends.
    /// Default 14 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan IdleLifetime { get; set; } = TimeSpan.FromDays(14);
}
