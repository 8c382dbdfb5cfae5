using System.Security.Claims;
using IdentityHub.Errors;
using IdentityHub.Sessions;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Api;

/// <summary>
/// Authenticates an access token, the same way for every dialect and for the step-up grant. OpenIddict
/// validates signature, issuer, type, lifetime and the stored token and authorization entries; on top of that the
/// token must name a user, a tenant and a sign-in session that is still active, so revocation never rests on
/// OpenIddict's entry checks alone.
/// </summary>
internal sealed class AccessTokenAuthenticator(
    OpenIddictValidationService validation, SessionService sessions, TimeProvider clock, IOptionsMonitor<OpenIddictServerOptions> server,
    IOptions<ServerOptions> hub)
{
    private static readonly object ResultKey = new();

    /// <summary>
    /// Authenticates the request's <c>Authorization: Bearer</c> token, once per request: the result is kept on the
    /// request, so the rate limiter (which partitions on the caller, see <see cref="AccountApiRateLimiting"/>) and the
    /// endpoint share one validation.
    /// </summary>
    public async Task<(Caller? Caller, HubError? Error)> AuthenticateAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ResultKey, out var kept) && kept is ValueTuple<Caller?, HubError?> result)
        {
            return result;
        }
        result = await AuthenticateHeaderAsync(context);
        context.Items[ResultKey] = result;
        return result;
    }

    /// <summary>The caller already authenticated for this request, if any.</summary>
    public static Caller? AuthenticatedCaller(HttpContext context) =>
        context.Items.TryGetValue(ResultKey, out var kept) && kept is ValueTuple<Caller?, HubError?> result ? result.Item1 : null;

    private Task<(Caller? Caller, HubError? Error)> AuthenticateHeaderAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult<(Caller?, HubError?)>((null, new HubError(HubErrorCode.AuthenticationRequired)));
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            return Task.FromResult<(Caller?, HubError?)>((null, new HubError(HubErrorCode.Unauthenticated)));
        }
        return AuthenticateTokenAsync(header["Bearer ".Length..].Trim(), context.RequestAborted);
    }

    /// <summary>Authenticates an access token given as a string.</summary>
    public async Task<(Caller? Caller, HubError? Error)> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        ClaimsPrincipal principal;
        try
        {
            principal = await validation.ValidateAccessTokenAsync(token, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return (null, new HubError(await IsExpiredAsync(token) ? HubErrorCode.AccessTokenExpired : HubErrorCode.Unauthenticated));
        }

        // The account API is a resource of its own: a token must have been granted for it (scope and audience), so a
        // token a client obtained for sign-in (openid) or for another resource server cannot change a password.
        if (!principal.HasScope(HubClaims.AccountScope) || !principal.HasAudience(hub.Value.AccountAudience))
        {
            return (null, new HubError(HubErrorCode.Unauthenticated));
        }
        if (!Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) ||
            !Guid.TryParse(principal.GetClaim(HubClaims.TenantId), out var tenantId) ||
            principal.GetClaim(HubClaims.SessionId) is not { Length: > 0 } sessionId)
        {
            // A client-credentials token, or anything else that does not speak for a user.
            return (null, new HubError(HubErrorCode.Unauthenticated));
        }
        // Active (not signed out, no password change since, within its lifetimes), and this call counts as a use.
        if (!await sessions.UseAsync(sessionId, userId, cancellationToken))
        {
            return (null, new HubError(HubErrorCode.Unauthenticated));
        }
        DateTimeOffset? authTime = long.TryParse(principal.GetClaim(Claims.AuthenticationTime), out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        return (new Caller(userId, tenantId, sessionId, clientId, authTime), null);
    }

    /// <summary>
    /// OpenIddict reports an expired and a revoked token alike. A token is called expired only when it carries our
    /// signature and the access-token type and its <c>exp</c> has passed: a forged token with an old <c>exp</c> is
    /// just invalid.
    /// </summary>
    private async Task<bool> IsExpiredAsync(string token)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (jwt.ValidTo == DateTime.MinValue || jwt.ValidTo >= clock.GetUtcNow().UtcDateTime)
        {
            return false;
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = server.CurrentValue.SigningCredentials.Select(c => c.Key),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidTypes = ["at+jwt"],
        });
        return result.IsValid;
    }
}
