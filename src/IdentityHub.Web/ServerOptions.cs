using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Web;

/// <summary>
/// The authorization server, as every part of the host sees it (issuer, transport, token and cookie lifetimes). Bound
/// from <c>IdentityHub:Server</c>; OpenIddict's registration also reads the section once (see
/// <c>AddAuthorizationServer</c>).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>
    /// The issuer URL (<c>iss</c> of every token). Default: none, meaning the URL the request arrived on, which is
    /// right for local development; set it in production, behind a proxy, and whenever tokens are validated elsewhere.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// Allow plain HTTP for the OAuth endpoints and an <c>http://</c> issuer. Default false. Only the Development
    /// configuration and the tests turn it on; a Production host refuses to start with it.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Access token lifetime. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Identity token lifetime. Default 20 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Authorization code lifetime. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Refresh token lifetime (sliding; every use rotates the token). Default 14 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The audience (RFC 9068 <c>aud</c>) of access tokens for IdentityHub's own account API. A token gets it only
    /// when the <c>account</c> scope was granted, and the account API and the step-up grant refuse a token without
    /// both. Default <c>urn:identityhub:account</c>.
    /// </summary>
    [Required]
    public string AccountAudience { get; set; } = "urn:identityhub:account";

    /// <summary>
    /// Resource servers and the scopes that reach them: a scope listed here puts its resources into the <c>aud</c>
    /// of every access token it is granted in (like Duende's API resources and Keycloak's audience mappers). A
    /// client may also ask for one resource with the RFC 8707 <c>resource</c> parameter when its configuration lists
    /// it (<c>Seed:Clients:N:Resources</c>). Example: <c>{"orders.read": ["https://orders.example.com/api"]}</c>. Write
    /// a resource as its canonical URI (OpenIddict registers <c>https://host</c> as <c>https://host/</c>).
    /// </summary>
    public Dictionary<string, string[]> ScopeResources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The user claims each scope releases into the ID token, the access token and the userinfo answer. A scope
    /// listed here replaces its default set; the defaults are <c>profile</c>: <c>name locale updated_at</c>,
    /// <c>email</c>: <c>email email_verified</c>, <c>roles</c>: <c>role</c>. Releasable claims: <c>name locale
    /// updated_at email email_verified role</c>. Example: <c>{"staff": ["role", "locale"]}</c>. A scope named here is
    /// registered with the server; clients still need it in their <c>Scopes</c>.
    /// </summary>
    public Dictionary<string, string[]> ScopeClaims { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a refresh token that was just used may be used again (a client retrying after a lost response).
    /// Default zero, as Auth0's leeway and Curity's grace period default to: a used refresh token is refused at once,
    /// and presenting it again revokes every token of its authorization (RFC 9700 §4.14: reuse means it was stolen).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;

    /// <summary>Lifetime of the sign-in cookie of the self-service pages. Default 8 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan SessionCookieLifetime { get; set; } = TimeSpan.FromHours(8);
}
