using Microsoft.AspNetCore.DataProtection;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// Loads the Data Protection key ring once the server listens, instead of before. The framework's own hosted service
/// loads it synchronously while the host starts, and with the keys in the database that load is the process's first
/// EF Core query (~150 ms of one-time query setup on this machine) on the path to the first token, which needs no key
/// of the ring (tokens are JWTs signed and encrypted with the server's own keys). Loaded here, in the host's
/// <c>Started</c> phase, it still happens before any page or cookie is likely to need it, and a request that comes
/// first simply loads it itself, as Data Protection does on first use.
/// </summary>
internal sealed class KeyRingWarmUp(IDataProtectionProvider dataProtection, ILogger<KeyRingWarmUp> logger) : IHostedLifecycleService
{
    private const string FrameworksLoader = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>Removes the framework's start-up load (an internal type, matched by name) and adds this one in its place.</summary>
    public static void ReplaceTheFrameworksStartUpLoad(IServiceCollection services)
    {
        foreach (var loader in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == FrameworksLoader).ToList())
        {
            services.Remove(loader);
        }
        services.AddHostedService<KeyRingWarmUp>();
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                // Unprotecting needs the whole ring; protecting a byte is the cheapest public call that loads it.
                dataProtection.CreateProtector(nameof(KeyRingWarmUp)).Protect([0]);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // As the framework's loader does: the first request that needs the keys tries again and reports it.
                logger.LogWarning(exception, "Loading the Data Protection key ring at start failed; it will be loaded on first use.");
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
