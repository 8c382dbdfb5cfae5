using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Throttling;

/// <summary>
/// Throttling of password checks (sign-in page, re-authentication page, password, step-up and token-exchange grants):
/// failed checks per minute, per client IP and per account. A check over either limit is refused with 429 and
/// <c>Retry-After</c> before any password is verified. Bound from <c>IdentityHub:Throttling</c>. Counted in Redis
/// across instances when <c>IdentityHub:Redis:Configuration</c> is set, else in memory, per instance (N instances: up to N times each limit).
/// </summary>
public sealed class ThrottlingOptions
{
    /// <summary>
    /// Failed checks from one client IP (IPv6: its /64), whatever the account, in one minute. Default 20: a person
    /// mistyping never gets there; a password-spraying client is slowed to 20 guesses a minute.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailuresPerIpPerMinute { get; set; } = 20;

    /// <summary>
    /// Failed checks against one account (an unknown email counts as an account of its own), from any IP, in one
    /// minute. Default 10: a distributed guesser gets 10 guesses a minute at most, and the owner is held back at
    /// most until the minute ends (unlike the account-wide lockout).
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailuresPerAccountPerMinute { get; set; } = 10;
}
