namespace IdentityHub.Throttling;

/// <summary>One taken attempt; pass it back to <see cref="IAttemptCounter.KeepAsync"/>, <see cref="IAttemptCounter.GiveBackAsync"/> or <see cref="IAttemptCounter.ForgetAsync"/>.</summary>
public sealed class AttemptTicket
{
    internal AttemptTicket(string key, object? window) => (Key, Window) = (key, window);

    internal string Key { get; }

    /// <summary>
    /// Which window of the key the attempt was taken in (a ticket from a window that has since ended must not touch
    /// the next); null when the attempt is not tracked.
    /// </summary>
    internal object? Window { get; }
}
