using IdentityHub.Notifications;
using IdentityHub.Templates;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Razor email templates.</summary>
public static class EmailTemplatesServiceCollectionExtensions
{
    /// <summary>Adds the default templates and their renderer (both replaceable: see <see cref="EmailTemplateOptions"/>).</summary>
    public static IServiceCollection AddIdentityHubEmailTemplates(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddOptions<EmailTemplateOptions>();
        services.TryAddSingleton<IEmailRenderer, RazorEmailRenderer>();
        return services;
    }
}
