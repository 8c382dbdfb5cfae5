using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdentityHub.Client;

/// <summary>
/// Fills what the app left unset from its OpenID Connect handler (the same configuration manager, so discovery and the
/// JWKS are read and cached once), else builds a configuration manager for <see cref="IdentityHubLogoutOptions.Authority"/>.
/// </summary>
internal sealed class IdentityHubLogoutPostConfigure(IOptionsMonitor<OpenIdConnectOptions> oidc) : IPostConfigureOptions<IdentityHubLogoutOptions>
{
    public void PostConfigure(string? name, IdentityHubLogoutOptions options)
    {
        if (options.ConfigurationManager is null || string.IsNullOrEmpty(options.ClientId))
        {
            var handler = oidc.Get(options.OpenIdConnectScheme);
            options.ClientId ??= handler.ClientId;
            options.ConfigurationManager ??= handler.ConfigurationManager;
        }
        if (options.ConfigurationManager is null && !string.IsNullOrEmpty(options.Authority))
        {
            var metadata = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(metadata, new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(new HttpClient()) { RequireHttps = options.RequireHttpsMetadata });
        }
    }
}
