using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IdentityHub.Throttling;

/// <summary>
/// The one connection to the configured Redis server (<see cref="RedisOptions"/>), opened on first use and kept for
/// the life of the host. It never fails the start: while the server is down, each command throws, and the callers fail closed.
/// </summary>
public sealed class SharedRedis(IOptions<RedisOptions> options) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> connection = new(() =>
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration!);
        configuration.AbortOnConnectFail = false;
        // While disconnected, a command fails at once instead of waiting in a backlog for the reconnection: a request
        // is refused (fail closed) without holding its caller for the command timeout.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(configuration);
    });

    /// <summary>True when a Redis server is configured.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The configured key prefix.</summary>
    public string KeyPrefix => options.Value.KeyPrefix;

    /// <summary>The connection; only when <see cref="Enabled"/>.</summary>
    public IConnectionMultiplexer Connection => Enabled ? connection.Value : throw new InvalidOperationException("IdentityHub:Redis:Configuration is not set.");

    /// <inheritdoc />
    public void Dispose()
    {
        if (connection.IsValueCreated)
        {
            connection.Value.Dispose();
        }
    }
}
