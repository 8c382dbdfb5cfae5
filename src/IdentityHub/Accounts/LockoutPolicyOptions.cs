using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Accounts;

/// <summary>
/// Lockout after failed password checks. Bound from <c>IdentityHub:Lockout</c>. The account-wide values
/// (<see cref="MaxFailedAccessAttempts"/>, <see cref="DefaultLockoutTimeSpan"/>) are handed to ASP.NET Core Identity's
/// own lockout settings; the per-IP one is ours.
/// </summary>
public sealed class LockoutPolicyOptions
{
    /// <summary>
    /// Failed password checks from one client IP (an IPv6 client: its /64) against one account, within
    /// <see cref="DefaultLockoutTimeSpan"/> of the first, before that IP is locked out of that account for
    /// <see cref="DefaultLockoutTimeSpan"/>. Default 5. Lower than the account-wide limit, so that one attacker locks only
    /// themselves out, not the owner. Counted in Redis across instances when <c>IdentityHub:Redis:Configuration</c> is
    /// set, else in memory, per instance (N instances: up to N times this).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFailedAccessAttemptsPerIp { get; set; } = 5;

    /// <summary>
    /// Failed password checks against one account, from every IP together, before the account is locked for everyone
    /// (in the database). Default 20: higher than the per-IP limit, so that one attacker locks themselves out of the
    /// account long before they lock its owner out.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFailedAccessAttempts { get; set; } = 20;

    /// <summary>How long either lock lasts; also how long per-IP failures are remembered. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DefaultLockoutTimeSpan { get; set; } = TimeSpan.FromMinutes(15);
}
