using IdentityHub.Throttling;
using Microsoft.Extensions.Options;

namespace IdentityHub.EmailVerification;

/// <summary>
/// One verification email per user per <see cref="EmailVerificationOptions.ResendInterval"/>, on the same attempt
/// counters as the other throttles (<see cref="AttemptCounters"/>: Redis when configured, else in memory).
/// </summary>
public sealed class EmailVerificationThrottle(IOptions<EmailVerificationOptions> options, AttemptCounters counters)
{
    private readonly IAttemptCounter perUser = counters.Create("verify-email");

    /// <summary>Takes the user's one send of the interval; when refused, how long until the next one.</summary>
    public async ValueTask<TimeSpan?> RefuseAsync(Guid userId)
    {
        var take = await perUser.TryTakeAsync(userId.ToString("N"), 1, options.Value.ResendInterval);
        return take.Ticket is null ? take.RetryAfter : null;
    }
}
