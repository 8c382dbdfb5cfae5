namespace IdentityHub.Throttling;

/// <summary>The answer of <see cref="IAttemptCounter.TryTakeAsync"/>: a ticket, or null and how long to wait.</summary>
public readonly record struct AttemptTake(AttemptTicket? Ticket, TimeSpan RetryAfter);
