using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityHub.Web.Seeding;

/// <summary>Registers the database's preparation: migrations, then the configured tenants, users and clients.</summary>
internal static class SeedingExtensions
{
    /// <summary>
    /// The seed worker prepares the database in the host's starting phase, which ends before any hosted service
    /// starts: every other one (the outbox sender, Data Protection loading its key ring from the database, Kestrel)
    /// expects the migrations done. Those then start side by side, which shortens the start.
    /// </summary>
    public static IServiceCollection AddSeeding(this IServiceCollection services)
    {
        services.AddSingleton<SeedWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<SeedWorker>());
        services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        services.AddOptions<SeedOptions>().BindConfiguration("IdentityHub:Seed").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SeedOptions>, SeedOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Holds every request until the seed is applied. Kestrel listens while an unchanged seed's client secrets are
    /// still being checked (<see cref="SeedWorker.StartAsync"/>): a request must not meet a secret the configuration
    /// has replaced. Once applied this costs one completed-task check; if applying failed the host is stopping, and a
    /// request that came in meanwhile gets a 503.
    /// </summary>
    public static IApplicationBuilder UseSeededRequests(this IApplicationBuilder app)
    {
        var applied = app.ApplicationServices.GetRequiredService<SeedWorker>().Applied;
        return app.Use(async (context, next) =>
        {
            if (!applied.IsCompletedSuccessfully)
            {
                try
                {
                    await applied.WaitAsync(context.RequestAborted);
                }
                catch (Exception) when (applied.IsFaulted)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }
            }
            await next(context);
        });
    }
}
