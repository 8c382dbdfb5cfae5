namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// The test seam for time: real time plus an offset a test can move forward, so tokens really expire without
/// waiting, while everything else (cookies, antiforgery) keeps running on real time.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
