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
        services.AddHostedService<SeedWorker>();
        services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        services.AddOptions<SeedOptions>().BindConfiguration("IdentityHub:Seed").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SeedOptions>, SeedOptionsValidator>());
        return services;
    }
}
