using IdentityHub.Telemetry;
using Microsoft.Extensions.Options;

namespace IdentityHub.Throttling;

/// <summary>
/// Failed password checks per minute, per client IP and per account (<see cref="ThrottlingOptions"/>). ASP.NET
/// Core's rate limiter cannot do this: it partitions before the endpoint has read the form, so it sees neither the
/// account nor whether the check failed. Here a check takes one attempt from both counters before any password is
/// verified (so a parallel flood cannot slip under the limit), and gives both back when it succeeds: only
/// failures count, and a person who types the right password is never held back by their own successes.
/// Counted in Redis across instances when it is configured, else per instance (<see cref="AttemptCounters"/>).
/// </summary>
public sealed class SignInThrottle(IOptions<ThrottlingOptions> options, IdentityHubMetrics metrics, AttemptCounters counters)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly IAttemptCounter perIp = counters.Create("sign-in-ip");
    private readonly IAttemptCounter perAccount = counters.Create("sign-in-account");

    /// <summary>The two attempts one check took.</summary>
    public sealed record Pass(AttemptTicket Ip, AttemptTicket Account);

    /// <summary>
    /// Takes an attempt for the client IP and one for the account, or refuses the check (a null pass, and when the
    /// fuller of the two windows ends).
    /// </summary>
    /// <param name="ipAddress">The client's address.</param>
    /// <param name="account">The account: a user id, or for an unknown email the tenant and email (so that a refusal
    /// looks the same whether the account exists or not).</param>
    public async ValueTask<(Pass? Pass, TimeSpan RetryAfter)> TryEnterAsync(string? ipAddress, string account)
    {
        var settings = options.Value;
        var ip = await perIp.TryTakeAsync(AttemptCounter.NetworkKey(ipAddress), settings.FailuresPerIpPerMinute, Window);
        if (ip.Ticket is null)
        {
            metrics.Throttled(IdentityHubMetrics.Throttles.SignIn);
            return (null, ip.RetryAfter);
        }
        var forAccount = await perAccount.TryTakeAsync(account, settings.FailuresPerAccountPerMinute, Window);
        if (forAccount.Ticket is null)
        {
            await perIp.GiveBackAsync(ip.Ticket);
            metrics.Throttled(IdentityHubMetrics.Throttles.SignIn);
            return (null, forAccount.RetryAfter);
        }
        return (new Pass(ip.Ticket, forAccount.Ticket), TimeSpan.Zero);
    }

    /// <summary>
    /// When the client IP has no attempt left this minute, whatever the account, how long until it has (else null):
    /// such a request can be refused before anything is looked up (see <c>EarlyPasswordRefusal</c> in the host), and
    /// is counted as throttled. Takes nothing.
    /// </summary>
    public async ValueTask<TimeSpan?> IpThrottledForAsync(string? ipAddress)
    {
        var full = await perIp.FullForAsync(AttemptCounter.NetworkKey(ipAddress), options.Value.FailuresPerIpPerMinute);
        if (full is not null)
        {
            metrics.Throttled(IdentityHubMetrics.Throttles.SignIn);
        }
        return full;
    }

    /// <summary>The check succeeded, or never verified a password (the server was busy): it does not count.</summary>
    public async ValueTask GiveBackAsync(Pass pass)
    {
        await perIp.GiveBackAsync(pass.Ip);
        await perAccount.GiveBackAsync(pass.Account);
    }
}
