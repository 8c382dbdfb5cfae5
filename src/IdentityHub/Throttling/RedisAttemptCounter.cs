using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace IdentityHub.Throttling;

/// <summary>
/// <see cref="IAttemptCounter"/> in Redis, so every instance counts into one window per key. A key's window is one
/// Redis hash (<c>n</c>: attempts taken, <c>w</c>: the window's id) that expires when the window ends; every step is
/// one Lua script, so a check and its change are atomic across instances. Windows are timed by Redis's clock.
/// Fails closed: while Redis cannot be reached, a take is refused (and a key reported full) for
/// <see cref="UnreachableRetryAfter"/>; keeping, giving back and forgetting are skipped (logged), since the attempt
/// was already counted when it was taken.
/// </summary>
public sealed partial class RedisAttemptCounter(SharedRedis redis, string name, TimeProvider clock, ILogger logger) : IAttemptCounter
{
    /// <summary>How long a refused attempt is told to wait while Redis is unreachable.</summary>
    public static readonly TimeSpan UnreachableRetryAfter = TimeSpan.FromSeconds(5);

    // ARGV: limit, window (ms), a new window id. Returns {1, 0, window id} when taken, {0, ms left, ""} when refused.
    private const string TakeScript = """
        local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
        if n >= tonumber(ARGV[1]) then
          return {0, redis.call('PTTL', KEYS[1]), ''}
        end
        if redis.call('EXISTS', KEYS[1]) == 0 then
          redis.call('HSET', KEYS[1], 'n', 1, 'w', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {1, 0, ARGV[3]}
        end
        redis.call('HINCRBY', KEYS[1], 'n', 1)
        return {1, 0, redis.call('HGET', KEYS[1], 'w')}
        """;

    // ARGV: limit. Returns the ms left when full, else -1.
    private const string FullScript = """
        local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
        if n >= tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
        return -1
        """;

    // ARGV: window id, limit, hold (ms). Returns 1 when the key is now held.
    private const string KeepScript = """
        if redis.call('HGET', KEYS[1], 'w') ~= ARGV[1] then return 0 end
        if tonumber(redis.call('HGET', KEYS[1], 'n')) >= tonumber(ARGV[2]) then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return 1
        end
        return 0
        """;

    // ARGV: window id.
    private const string GiveBackScript = """
        if redis.call('HGET', KEYS[1], 'w') == ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'n')) > 0 then
          redis.call('HINCRBY', KEYS[1], 'n', -1)
        end
        return 0
        """;

    // ARGV: window id.
    private const string ForgetScript = """
        if redis.call('HGET', KEYS[1], 'w') == ARGV[1] then redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <inheritdoc />
    public async ValueTask<AttemptTake> TryTakeAsync(string key, int limit, TimeSpan window)
    {
        try
        {
            var result = (RedisResult[])(await RunAsync(TakeScript, key, limit, (long)window.TotalMilliseconds, Guid.NewGuid().ToString("N")))!;
            return (int)result[0] == 1
                ? new AttemptTake(new AttemptTicket(key, (string?)result[2]), TimeSpan.Zero)
                : new AttemptTake(null, TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnreachable(logger, name, exception);
            return new AttemptTake(null, UnreachableRetryAfter);
        }
    }

    /// <inheritdoc />
    public async ValueTask<TimeSpan?> FullForAsync(string key, int limit)
    {
        try
        {
            var left = (long)(await RunAsync(FullScript, key, limit));
            return left >= 0 ? TimeSpan.FromMilliseconds(left) : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnreachable(logger, name, exception);
            return UnreachableRetryAfter;
        }
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> KeepAsync(AttemptTicket ticket, int limit, TimeSpan? holdAtLimit = null)
    {
        if (holdAtLimit is not { } hold || ticket.Window is not string window)
        {
            return null;
        }
        var until = clock.GetUtcNow() + hold;
        return await TryRunAsync(KeepScript, ticket.Key, window, limit, (long)hold.TotalMilliseconds) == 1 ? until : null;
    }

    /// <inheritdoc />
    public async ValueTask GiveBackAsync(AttemptTicket ticket)
    {
        if (ticket.Window is string window)
        {
            await TryRunAsync(GiveBackScript, ticket.Key, window);
        }
    }

    /// <inheritdoc />
    public async ValueTask ForgetAsync(AttemptTicket ticket)
    {
        if (ticket.Window is string window)
        {
            await TryRunAsync(ForgetScript, ticket.Key, window);
        }
    }

    private Task<RedisResult> RunAsync(string script, string key, params RedisValue[] arguments) =>
        redis.Connection.GetDatabase().ScriptEvaluateAsync(script, [(RedisKey)$"{redis.KeyPrefix}{name}:{key}"], arguments);

    /// <summary>Runs a script whose failure only loses precision (the attempt was counted when taken); -1 when Redis failed.</summary>
    private async Task<long> TryRunAsync(string script, string key, params RedisValue[] arguments)
    {
        try
        {
            return (long)await RunAsync(script, key, arguments);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnreachable(logger, name, exception);
            return -1;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Redis is unreachable: the {Counter} counter fails closed")]
    private static partial void LogUnreachable(ILogger logger, string counter, Exception exception);
}
