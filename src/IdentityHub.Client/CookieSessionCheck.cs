using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Client;

/// <summary>
/// Hooks the app's cookie scheme: each sign-in records when it happened, and each request's cookie is rejected (and
/// deleted) when its <c>sid</c> was revoked, or its <c>sub</c> or email was revoked after it signed in. The app's own
/// handlers of these events still run, after this check.
/// </summary>
/// <remarks>Not applied when the cookie scheme sets <see cref="AuthenticationSchemeOptions.EventsType"/> (its events object then replaces these).</remarks>
internal sealed class CookieSessionCheck(string logoutScheme, IOptionsMonitor<IdentityHubLogoutOptions> logout, IOptions<AuthenticationOptions> authentication)
    : IPostConfigureOptions<CookieAuthenticationOptions>
{
    /// <summary>The property holding the time of the sign-in (kept when the cookie slides, unlike <c>IssuedUtc</c>).</summary>
    internal const string SignedInProperty = ".identityhub.signed_in";

    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        var cookieScheme = logout.Get(logoutScheme).CookieScheme ?? authentication.Value.DefaultSignInScheme ?? authentication.Value.DefaultScheme;
        if (name != cookieScheme)
        {
            return;
        }
        var signingIn = options.Events.OnSigningIn;
        options.Events.OnSigningIn = context =>
        {
            var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
            context.Properties.Items[SignedInProperty] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
            return signingIn(context);
        };
        var validate = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = async context =>
        {
            await ValidatePrincipalAsync(context);
            if (context.Principal is not null)
            {
                await validate(context);
            }
        };
    }

    /// <summary>Rejects and deletes the cookie when its session has been ended by the provider.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var revocations = context.HttpContext.RequestServices.GetRequiredService<SessionRevocations>();
        var signedIn = context.Properties.Items.TryGetValue(SignedInProperty, out var ticks) &&
                       long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : context.Properties.IssuedUtc;
        if (context.Principal is { } principal && await revocations.IsRevokedAsync(principal, signedIn, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
        }
    }
}
