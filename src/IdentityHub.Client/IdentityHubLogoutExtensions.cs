using IdentityHub.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the IdentityHub logout receiver to an app's authentication.</summary>
public static class IdentityHubLogoutExtensions
{
    /// <summary>
    /// Adds the receiver: a back-channel logout endpoint and a Security Event Token push endpoint, answered by
    /// <c>UseAuthentication()</c>, which end the matching sessions of the app's cookie scheme. With an OpenID Connect
    /// handler in the app, nothing needs configuring: its provider configuration and client id are used.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddAuthentication(...).AddCookie().AddOpenIdConnect(...).AddIdentityHubLogout();
    /// </code></example>
    public static AuthenticationBuilder AddIdentityHubLogout(this AuthenticationBuilder builder, Action<IdentityHubLogoutOptions>? configure = null) =>
        builder.AddIdentityHubLogout(IdentityHubLogoutDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the receiver under <paramref name="authenticationScheme"/> (one receiver per app).</summary>
    public static AuthenticationBuilder AddIdentityHubLogout(this AuthenticationBuilder builder, string authenticationScheme, Action<IdentityHubLogoutOptions>? configure)
    {
        // In memory unless the app registers another IDistributedCache (Redis: revocations reach every instance).
        builder.Services.AddDistributedMemoryCache();
        builder.Services.TryAddSingleton<SessionRevocations>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<IdentityHubLogoutOptions>, IdentityHubLogoutPostConfigure>());
        builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>>(services => new CookieSessionCheck(authenticationScheme,
            services.GetRequiredService<IOptionsMonitor<IdentityHubLogoutOptions>>(), services.GetRequiredService<IOptions<AuthenticationOptions>>()));
        // A receiver without a provider or a client id stops the app at start, not at its first logout.
        builder.Services.AddOptions<IdentityHubLogoutOptions>(authenticationScheme).Validate<IOptions<AuthenticationOptions>>((options, authentication) =>
        {
            options.Validate(authenticationScheme);
            return (options.CookieScheme ?? authentication.Value.DefaultSignInScheme ?? authentication.Value.DefaultScheme) is not null;
        }, "IdentityHub logout: no cookie scheme whose sessions to end. Set CookieScheme, or the default (sign-in) scheme.").ValidateOnStart();
        return builder.AddScheme<IdentityHubLogoutOptions, IdentityHubLogoutHandler>(authenticationScheme, displayName: null, configure);
    }
}
