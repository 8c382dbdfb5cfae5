namespace IdentityHub.Web.Administration;

/// <summary>Registers the administrators' services, shared by the admin API and the command line.</summary>
internal static class AdministrationExtensions
{
    public static IServiceCollection AddAdministration(this IServiceCollection services)
    {
        services.AddScoped<TenantAdminService>();
        services.AddScoped<ClientAdminService>();
        return services;
    }
}
