using System.Net;

namespace IdentityHub.Throttling;

/// <summary>
/// Counts attempts per key (a client IP, an account, an IP and an account) in memory, bounded. An attempt is
/// taken before the password is verified, so parallel attempts cannot all slip under the limit; then it is either
/// kept (a failure), given back (it did not count) or the key is forgotten (a success that resets it).
/// Each key has a window that starts with its first attempt; a key whose window has passed starts again from zero.
/// In memory, per instance: a restart forgets, and several instances each count their own share (the account-wide
/// lockout, in the database, is the backstop for both); with Redis configured, <see cref="RedisAttemptCounter"/> is used instead.
/// </summary>
public sealed class AttemptCounter(TimeProvider clock, int capacity = AttemptCounter.DefaultCapacity) : IAttemptCounter
{
    /// <summary>Keys tracked at most. At about 150 bytes a key, 100,000 keys are some 15 MB.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Dictionary<string, Window> windows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private DateTimeOffset nextPrune;

    internal sealed class Window
    {
        public int Count;
        public DateTimeOffset Ends;
    }

    /// <inheritdoc />
    public ValueTask<TimeSpan?> FullForAsync(string key, int limit)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            return ValueTask.FromResult<TimeSpan?>(
                windows.TryGetValue(key, out var current) && current.Ends > now && current.Count >= limit ? current.Ends - now : null);
        }
    }

    /// <summary>
    /// Takes one attempt for <paramref name="key"/> unless <paramref name="limit"/> attempts are already taken in
    /// its window (counted failures and attempts still being verified alike); when refused, the answer says when the
    /// window ends. When the table is full even after dropping ended windows, a new key is let through
    /// untracked: refusing would let anyone who fills the table lock everyone out, and the database lockout still holds.
    /// </summary>
    public ValueTask<AttemptTake> TryTakeAsync(string key, int limit, TimeSpan window) => ValueTask.FromResult(TryTake(key, limit, window));

    private AttemptTake TryTake(string key, int limit, TimeSpan window)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (!windows.TryGetValue(key, out var current) || current.Ends <= now)
            {
                if (current is null && windows.Count >= capacity && !Prune(now))
                {
                    return new AttemptTake(new AttemptTicket(key, null), TimeSpan.Zero);
                }
                current = new Window { Ends = now + window };
                windows[key] = current;
            }
            if (current.Count >= limit)
            {
                return new AttemptTake(null, current.Ends - now);
            }
            current.Count++;
            return new AttemptTake(new AttemptTicket(key, current), TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> KeepAsync(AttemptTicket ticket, int limit, TimeSpan? holdAtLimit = null)
    {
        lock (gate)
        {
            if (holdAtLimit is { } hold && Current(ticket) is { } window && window.Count >= limit)
            {
                return ValueTask.FromResult<DateTimeOffset?>(window.Ends = clock.GetUtcNow() + hold);
            }
            return ValueTask.FromResult<DateTimeOffset?>(null);
        }
    }

    /// <inheritdoc />
    public ValueTask GiveBackAsync(AttemptTicket ticket)
    {
        lock (gate)
        {
            if (Current(ticket) is { Count: > 0 } window)
            {
                window.Count--;
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ForgetAsync(AttemptTicket ticket)
    {
        lock (gate)
        {
            if (Current(ticket) is not null)
            {
                windows.Remove(ticket.Key);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The key of a client address: the address itself, except that an IPv6 client counts by its /64 (one host
    /// usually has a whole /64 to pick addresses from) and an IPv4-mapped address as plain IPv4.
    /// </summary>
    public static string NetworkKey(string? address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return "unknown";
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return ip.ToString();
    }

    // A ticket from a window that has since ended (and maybe restarted) must not touch the new window.
    private Window? Current(AttemptTicket ticket) =>
        ticket.Window is Window window && windows.TryGetValue(ticket.Key, out var current) && ReferenceEquals(current, window) ? window : null;

    /// <summary>Drops ended windows, at most once a second (a full scan); true when there is room again.</summary>
    private bool Prune(DateTimeOffset now)
    {
        if (now >= nextPrune)
        {
            nextPrune = now + TimeSpan.FromSeconds(1);
            foreach (var (key, window) in windows)
            {
                if (window.Ends <= now)
                {
                    windows.Remove(key);
                }
            }
        }
        return windows.Count < capacity;
    }
}
