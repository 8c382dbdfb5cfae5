using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityHub.Web.Seeding;

/// <summary>Registers the database's preparation: migrations, then the configured tenants, users and clients.</summary>
internal static class SeedingExtensions
{
    /// <summary>
    /// Call before anything else that adds a hosted service: hosted services start in registration order, and every
    /// other one (the outbox sender, Data Protection loading its key ring from the database) expects the migrations done.
    /// </summary>
    public static IServiceCollection AddSeeding(this IServiceCollection services)
    {
        services.AddHostedService<SeedWorker>();
        services.AddOptions<SeedOptions>().BindConfiguration("IdentityHub:Seed").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SeedOptions>, SeedOptionsValidator>());
        return services;
    }
}
