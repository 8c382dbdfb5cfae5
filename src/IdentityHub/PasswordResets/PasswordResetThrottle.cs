using IdentityHub.Telemetry;
using IdentityHub.Throttling;
using Microsoft.Extensions.Options;

namespace IdentityHub.PasswordResets;

/// <summary>
/// Reset requests per minute per client IP and per hour per email (<see cref="PasswordResetOptions"/>), on the same
/// attempt counters as the sign-in throttle (<see cref="AttemptCounters"/>: Redis when configured, else in memory).
/// Unlike sign-in, every request counts: each one sends an email. An unknown email is counted like a known one, so a
/// refusal does not tell them apart.
/// </summary>
public sealed class PasswordResetThrottle(IOptions<PasswordResetOptions> options, IdentityHubMetrics metrics, AttemptCounters counters)
{
    private readonly IAttemptCounter perIp = counters.Create("reset-ip");
    private readonly IAttemptCounter perAccount = counters.Create("reset-account");

    /// <summary>Takes one request for the IP and one for the ticket key; when refused, how long until one is free.</summary>
    public async ValueTask<TimeSpan?> RefuseAsync(string? ipAddress, string ticketKey)
    {
        var settings = options.Value;
        var ip = await perIp.TryTakeAsync(AttemptCounter.NetworkKey(ipAddress), settings.RequestsPerIpPerMinute, TimeSpan.FromMinutes(1));
        if (ip.Ticket is null)
        {
            metrics.Throttled(IdentityHubMetrics.Throttles.PasswordReset);
            return ip.RetryAfter;
        }
        var account = await perAccount.TryTakeAsync(ticketKey, settings.RequestsPerAccountPerHour, TimeSpan.FromHours(1));
        if (account.Ticket is null)
        {
            await perIp.GiveBackAsync(ip.Ticket);
            metrics.Throttled(IdentityHubMetrics.Throttles.PasswordReset);
            return account.RetryAfter;
        }
        return null;
    }
}
