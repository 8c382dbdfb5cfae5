using System.Net;

namespace IdentityHub.Throttling;

/// <summary>
/// Counts attempts per key (a client IP, an account, an IP and an account) in memory, bounded. An attempt is
/// taken before the password is verified, so parallel attempts cannot all slip under the limit; then it is either
/// kept (a failure), given back (it did not count) or the key is forgotten (a success that resets it).
/// Each key has a window that starts with its first attempt; a key whose window has passed starts again from zero.
/// In memory, per instance: a restart forgets, and several instances each count their own share (the account-wide
/// lockout, in the database, is the backstop for both).
/// </summary>
public sealed class AttemptCounter(TimeProvider clock, int capacity = AttemptCounter.DefaultCapacity)
{
    /// <summary>Keys tracked at most. At about 150 bytes a key, 100,000 keys are some 15 MB.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Dictionary<string, Window> windows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private DateTimeOffset nextPrune;

    /// <summary>One taken attempt; pass it back to <see cref="Keep"/>, <see cref="GiveBack"/> or <see cref="Forget"/>.</summary>
    public sealed class Ticket
    {
        internal Ticket(string key, Window? window) => (Key, Window) = (key, window);

        internal string Key { get; }

        /// <summary>Null when the table was full and the attempt is not tracked (fail open, see <see cref="TryTake"/>).</summary>
        internal Window? Window { get; }
    }

    internal sealed class Window
    {
        public int Count;
        public DateTimeOffset Ends;
    }

    /// <summary>
    /// True when <paramref name="key"/> has no attempt left in its current window (nothing is taken); then
    /// <paramref name="retryAfter"/> says when the window ends.
    /// </summary>
    public bool IsFull(string key, int limit, out TimeSpan retryAfter)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (windows.TryGetValue(key, out var current) && current.Ends > now && current.Count >= limit)
            {
                retryAfter = current.Ends - now;
                return true;
            }
            retryAfter = TimeSpan.Zero;
            return false;
        }
    }

    /// <summary>
    /// Takes one attempt for <paramref name="key"/> unless <paramref name="limit"/> attempts are already taken in
    /// its window (counted failures and attempts still being verified alike); when refused, <paramref name="retryAfter"/>
    /// says when the window ends. When the table is full even after dropping ended windows, a new key is let through
    /// untracked: refusing would let anyone who fills the table lock everyone out, and the database lockout still holds.
    /// </summary>
    public Ticket? TryTake(string key, int limit, TimeSpan window, out TimeSpan retryAfter)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (!windows.TryGetValue(key, out var current) || current.Ends <= now)
            {
                if (current is null && windows.Count >= capacity && !Prune(now))
                {
                    retryAfter = TimeSpan.Zero;
                    return new Ticket(key, null);
                }
                current = new Window { Ends = now + window };
                windows[key] = current;
            }
            if (current.Count >= limit)
            {
                retryAfter = current.Ends - now;
                return null;
            }
            current.Count++;
            retryAfter = TimeSpan.Zero;
            return new Ticket(key, current);
        }
    }

    /// <summary>
    /// The attempt failed and keeps counting. With <paramref name="holdAtLimit"/>, a key that has reached
    /// <paramref name="limit"/> is held (refused) for that long from now, a lockout rather than a rate; returns
    /// the end of that hold, else null.
    /// </summary>
    public DateTimeOffset? Keep(Ticket ticket, int limit, TimeSpan? holdAtLimit = null)
    {
        lock (gate)
        {
            if (holdAtLimit is { } hold && IsCurrent(ticket) && ticket.Window!.Count >= limit)
            {
                return ticket.Window.Ends = clock.GetUtcNow() + hold;
            }
            return null;
        }
    }

    /// <summary>The attempt does not count after all (it succeeded where only failures count, or was never evaluated).</summary>
    public void GiveBack(Ticket ticket)
    {
        lock (gate)
        {
            if (IsCurrent(ticket) && ticket.Window!.Count > 0)
            {
                ticket.Window.Count--;
            }
        }
    }

    /// <summary>Forgets the key's attempts (a success resets them).</summary>
    public void Forget(Ticket ticket)
    {
        lock (gate)
        {
            if (IsCurrent(ticket))
            {
                windows.Remove(ticket.Key);
            }
        }
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
    private bool IsCurrent(Ticket ticket) =>
        ticket.Window is not null && windows.TryGetValue(ticket.Key, out var current) && ReferenceEquals(current, ticket.Window);

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
