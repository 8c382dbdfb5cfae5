using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Accounts;

/// <summary>
/// Lockout beyond what ASP.NET Core Identity knows. Bound from <c>IdentityHub:Lockout</c>, the same section as
/// Identity's own <c>MaxFailedAccessAttempts</c> (account-wide, default 20) and <c>DefaultLockoutTimeSpan</c>
/// (default 15 minutes); each binder ignores the other's keys.
/// </summary>
public sealed class LockoutPolicyOptions
{
    /// <summary>
    /// Failed password checks from one client IP (an IPv6 client: its /64) against one account, within
    /// <c>DefaultLockoutTimeSpan</c> of the first, before that IP is locked out of that account for
    /// <c>DefaultLockoutTimeSpan</c>. Default 5. Lower than the account-wide limit, so that one attacker locks only
    /// themselves out, not the owner. Counted in memory, per instance.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFailedAccessAttemptsPerIp { get; set; } = 5;
}
