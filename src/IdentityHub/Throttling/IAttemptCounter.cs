namespace IdentityHub.Throttling;

/// <summary>
/// Counts attempts per key in windows (see <see cref="AttemptCounter"/>, in memory, and <see cref="RedisAttemptCounter"/>,
/// shared by every instance). An attempt is taken before the password is verified, then kept, given back or the key
/// forgotten. Made by <see cref="AttemptCounters"/>.
/// </summary>
public interface IAttemptCounter
{
    /// <summary>
    /// Takes one attempt for <paramref name="key"/> unless <paramref name="limit"/> are already taken in its window
    /// (a window of <paramref name="window"/> starts with a key's first attempt); when refused, says when to retry.
    /// </summary>
    ValueTask<AttemptTake> TryTakeAsync(string key, int limit, TimeSpan window);

    /// <summary>When <paramref name="key"/> has no attempt left in its window, how long until it ends; else null. Takes nothing.</summary>
    ValueTask<TimeSpan?> FullForAsync(string key, int limit);

    /// <summary>
    /// The attempt failed and keeps counting. With <paramref name="holdAtLimit"/>, a key that has reached
    /// <paramref name="limit"/> is held (refused) for that long from now, a lockout rather than a rate; returns
    /// the end of that hold, else null.
    /// </summary>
    ValueTask<DateTimeOffset?> KeepAsync(AttemptTicket ticket, int limit, TimeSpan? holdAtLimit = null);

    /// <summary>The attempt does not count after all (it succeeded where only failures count, or was never evaluated).</summary>
    ValueTask GiveBackAsync(AttemptTicket ticket);

    /// <summary>Forgets the key's attempts (a success resets them).</summary>
    ValueTask ForgetAsync(AttemptTicket ticket);
}
