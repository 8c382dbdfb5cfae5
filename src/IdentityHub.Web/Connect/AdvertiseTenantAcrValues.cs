using IdentityHub.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Discovery's <c>acr_values_supported</c>: <c>tenant:&lt;uuid&gt;</c> for every tenant, the values an unbound client
/// sends to sign its users in within one tenant (<see cref="ClientTenant.FromAcrValues"/>). The sign-in page lists
/// the same tenants to anyone, so this discloses nothing new. No <c>acr</c> claim is issued: the value picks the
/// tenant, not an authentication level.
/// </summary>
internal sealed class AdvertiseTenantAcrValues(TenantService tenants) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseScopedHandler<AdvertiseTenantAcrValues>()
        .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        var all = await tenants.ListAsync(context.CancellationToken);
        context.Metadata["acr_values_supported"] = new OpenIddictParameter([.. all.Select(t => (string?)(ClientTenant.AcrValuePrefix + t.Id))]);
    }
}
