using IdentityHub.Telemetry;
using Microsoft.Extensions.Options;

namespace IdentityHub.Throttling;

/// <summary>
/// Failed password checks per minute, per client IP and per account (<see cref="ThrottlingOptions"/>). ASP.NET
/// Core's rate limiter cannot do this: it partitions before the endpoint has read the form, so it sees neither the
/// account nor whether the check failed. Here a check takes one attempt from both counters before any password is
/// verified (so a parallel flood cannot slip under the limit), and gives both back when it succeeds: only
/// failures count, and a person who types the right password is never held back by their own successes.
/// </summary>
public sealed class SignInThrottle(IOptions<ThrottlingOptions> options, IdentityHubMetrics metrics, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly AttemptCounter perIp = new(clock);
    private readonly AttemptCounter perAccount = new(clock);

    /// <summary>The two attempts one check took.</summary>
    public sealed record Pass(AttemptCounter.Ticket Ip, AttemptCounter.Ticket Account);

    /// <summary>
    /// Takes an attempt for the client IP and one for the account, or refuses the check; <paramref name="retryAfter"/>
    /// then says when the fuller of the two windows ends.
    /// </summary>
    /// <param name="ipAddress">The client's address.</param>
    /// <param name="account">The account: a user id, or for an unknown email the tenant and email (so that a refusal
    /// looks the same whether the account exists or not).</param>
    /// <param name="retryAfter">When refused, how long until the check may be tried again.</param>
    public Pass? TryEnter(string? ipAddress, string account, out TimeSpan retryAfter)
    {
        var settings = options.Value;
        var ip = perIp.TryTake(AttemptCounter.NetworkKey(ipAddress), settings.FailuresPerIpPerMinute, Window, out retryAfter);
        if (ip is null)
        {
            metrics.Throttled(IdentityHubMetrics.Throttles.SignIn);
            return null;
        }
        var forAccount = perAccount.TryTake(account, settings.FailuresPerAccountPerMinute, Window, out retryAfter);
        if (forAccount is null)
        {
            perIp.GiveBack(ip);
            metrics.Throttled(IdentityHubMetrics.Throttles.SignIn);
            return null;
        }
        return new Pass(ip, forAccount);
    }

    /// <summary>
    /// True when the client IP has no attempt left this minute, whatever the account: such a request can be refused
    /// before anything is looked up (see <c>EarlyPasswordRefusal</c> in the host), and is counted as throttled. Takes nothing.
    /// </summary>
    public bool IsIpThrottled(string? ipAddress, out TimeSpan retryAfter)
    {
        var full = perIp.IsFull(AttemptCounter.NetworkKey(ipAddress), options.Value.FailuresPerIpPerMinute, out retryAfter);
        if (full)
        {
            metrics.Throttled(IdentityHubMetrics.Throttles.SignIn);
        }
        return full;
    }

    /// <summary>The check succeeded, or never verified a password (the server was busy): it does not count.</summary>
    public void GiveBack(Pass pass)
    {
        perIp.GiveBack(pass.Ip);
        perAccount.GiveBack(pass.Account);
    }
}
