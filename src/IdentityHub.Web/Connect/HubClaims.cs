using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using IdentityHub.Accounts;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Builds the claims of a signed-in user, for the page cookie and for tokens, and decides which claim goes into
/// which token. The security stamp is never put in a token: tokens are readable by their holders.
/// </summary>
internal static class HubClaims
{
    public const string TenantId = "tid";
    public const string SessionId = "sid";

    /// <summary>
    /// An identity for the user of a session, with <c>sub tid sid auth_time amr</c>, email and name (the page cookie's
    /// claims); a token principal gets its scopes' claims and destinations from <see cref="UserClaims.AddToAsync"/>.
    /// </summary>
    public static ClaimsIdentity CreateIdentity(HubUser user, string sessionId, DateTimeOffset authTime, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(TenantId, user.TenantId.ToString())
            .SetClaim(SessionId, sessionId)
            .SetClaim(Claims.AuthenticationTime, authTime.ToUnixTimeSeconds())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailConfirmed)
            .SetClaim(Claims.Name, user.DisplayName ?? user.Email);
        // amr is a JSON array even with one method (RFC 8176).
        identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, "[\"pwd\"]", JsonClaimValueTypes.JsonArray));
        return identity;
    }

    /// <summary>The session a page cookie (or token) principal names; null when a claim is missing.</summary>
    public static (Guid UserId, Guid TenantId, string SessionId, DateTimeOffset AuthTime)? ReadSession(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) &&
        Guid.TryParse(principal.GetClaim(TenantId), out var tenantId) &&
        principal.GetClaim(SessionId) is { Length: > 0 } sessionId &&
        AuthTime(principal) is { } authTime
            ? (userId, tenantId, sessionId, authTime)
            : null;

    /// <summary>
    /// The <c>auth_time</c> of a cookie or token principal (seconds since the epoch, as <see cref="CreateIdentity"/>
    /// writes it); null when there is no principal or no readable claim. The one place the claim is read.
    /// </summary>
    public static DateTimeOffset? AuthTime(ClaimsPrincipal? principal) =>
        long.TryParse(principal?.GetClaim(Claims.AuthenticationTime), out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>The scope that grants the account API (its audience is <see cref="ServerOptions.AccountAudience"/>).</summary>
    public const string AccountScope = "account";

    /// <summary>
    /// Sets the resources, which OpenIddict writes as the access token's <c>aud</c>: the account API's audience when
    /// the <c>account</c> scope is granted, the configured resources of every other granted scope, and the RFC 8707
    /// resources the client asked for (OpenIddict has checked them against the registered resources and the client's
    /// permissions). A token granted <c>openid</c> alone has no audience and works at no resource server.
    /// </summary>
    public static void SetResources(ClaimsPrincipal principal, ServerOptions server, IEnumerable<string> requested)
    {
        var resources = new HashSet<string>(requested, StringComparer.Ordinal);
        foreach (var scope in principal.GetScopes())
        {
            if (scope == AccountScope)
            {
                resources.Add(server.AccountAudience);
            }
            if (server.ScopeResources.TryGetValue(scope, out var mapped))
            {
                resources.UnionWith(mapped);
            }
        }
        principal.SetResources(resources);
    }

    /// <summary>Every resource a token can be issued for, to register with OpenIddict.</summary>
    public static IEnumerable<string> AllResources(ServerOptions server) =>
        server.ScopeResources.Values.SelectMany(r => r).Append(server.AccountAudience).Distinct(StringComparer.Ordinal);
}
