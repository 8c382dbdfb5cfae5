using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdentityHub.Client;

/// <summary>
/// The receiver's settings. With an OpenID Connect handler in the app, none is needed: the provider's configuration
/// (discovery and JWKS) and the client id are the handler's.
/// </summary>
public sealed class IdentityHubLogoutOptions : AuthenticationSchemeOptions
{
    /// <summary>The logout token endpoint. Default <c>/backchannel-logout</c>.</summary>
    public PathString BackchannelLogoutPath { get; set; } = IdentityHubLogoutDefaults.BackchannelLogoutPath;

    /// <summary>The RFC 8935 push endpoint for Security Event Tokens; empty turns it off. Default <c>/security-events</c>.</summary>
    public PathString SecurityEventsPath { get; set; } = IdentityHubLogoutDefaults.SecurityEventsPath;

    /// <summary>
    /// The OpenID Connect scheme whose configuration manager and client id are used when <see cref="ConfigurationManager"/>
    /// and <see cref="ClientId"/> are not set. Default <c>OpenIdConnect</c>.
    /// </summary>
    public string OpenIdConnectScheme { get; set; } = "OpenIdConnect";

    /// <summary>
    /// The cookie scheme whose sessions end. Default: the authentication options' default sign-in scheme, else the
    /// default scheme.
    /// </summary>
    public string? CookieScheme { get; set; }

    /// <summary>The provider's issuer, when the app has no OpenID Connect handler (its discovery is read from there).</summary>
    public string? Authority { get; set; }

    /// <summary>Whether <see cref="Authority"/> must be HTTPS. Default true.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The provider's configuration (issuer and signing keys). Default: the OpenID Connect handler's, else one for <see cref="Authority"/>.</summary>
    public IConfigurationManager<OpenIdConnectConfiguration>? ConfigurationManager { get; set; }

    /// <summary>The client id, the audience of logout tokens. Default: the OpenID Connect handler's.</summary>
    public string? ClientId { get; set; }

    /// <summary>The audiences accepted in Security Event Tokens (the stream's <c>aud</c>). Default: <see cref="ClientId"/>.</summary>
    public ICollection<string> SecurityEventAudiences { get; } = new List<string>();

    /// <summary>The issuer of Security Event Tokens. Default: the provider's issuer.</summary>
    public string? SecurityEventIssuer { get; set; }

    /// <summary>How far the provider's clock may be from this one (<c>iat</c>, <c>exp</c>). Default 1 minute.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old a Security Event Token may be (they carry no <c>exp</c>); its <c>jti</c> is remembered this long.
    /// Default 1 day.
    /// </summary>
    public TimeSpan SecurityEventMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a revocation is kept: at least the cookie's lifetime. Default 14 days (the cookie handler's default).</summary>
    public TimeSpan RevocationLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The largest request body accepted, in bytes. Default 16 KiB.</summary>
    public int MaxRequestBodySize { get; set; } = 16 * 1024;

    /// <summary>Hooks for the app: called after a valid token ended the matching sessions.</summary>
    public new IdentityHubLogoutEvents Events
    {
        get => (IdentityHubLogoutEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates the options with empty events.</summary>
    public IdentityHubLogoutOptions() => Events = new IdentityHubLogoutEvents();

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (ConfigurationManager is null)
        {
            throw new InvalidOperationException(
                $"IdentityHub logout: no provider configuration. Add an OpenID Connect handler named '{OpenIdConnectScheme}' or set Authority (or ConfigurationManager).");
        }
        if (string.IsNullOrEmpty(ClientId))
        {
            throw new InvalidOperationException("IdentityHub logout: no client id. Set ClientId, or the OpenID Connect handler's ClientId.");
        }
        if (!BackchannelLogoutPath.HasValue)
        {
            throw new InvalidOperationException("IdentityHub logout: BackchannelLogoutPath must be set.");
        }
        if (ClockSkew < TimeSpan.Zero || SecurityEventMaxAge <= TimeSpan.Zero || RevocationLifetime <= TimeSpan.Zero || MaxRequestBodySize <= 0)
        {
            throw new InvalidOperationException(
                "IdentityHub logout: ClockSkew must not be negative; SecurityEventMaxAge, RevocationLifetime and MaxRequestBodySize must be positive.");
        }
    }
}
