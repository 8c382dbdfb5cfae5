namespace IdentityHub.Throttling;

/// <summary>
/// The Redis server several instances share their rate-limit counters through. Bound from <c>IdentityHub:Redis</c>.
/// Without it (the default) every instance counts on its own, so with N instances behind a load balancer a client
/// gets up to N times each limit.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=...,ssl=true</c>. Default empty:
    /// no Redis. When set, <c>/readyz</c> checks the server, and while it is unreachable the counted requests are
    /// refused (fail closed: 429 with <c>Retry-After</c>), never let through uncounted.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key IdentityHub writes, so several deployments can share one server. Default <c>identityhub:</c>.</summary>
    public string KeyPrefix { get; set; } = "identityhub:";

    /// <summary>True when a server is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
