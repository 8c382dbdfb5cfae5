using System.Security.Claims;
using IdentityHub.Errors;
using IdentityHub.Sessions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Validates an access token presented for the account API, the same way for every dialect and for the step-up grant.
/// OpenIddict validates signature, issuer, type, lifetime and the stored token and authorization entries; on top of
/// that the token must have been granted for the account API and name a user, a tenant and a sign-in session that is
/// still active, so revocation never rests on OpenIddict's entry checks alone.
/// </summary>
internal sealed class AccountTokenValidator(
    OpenIddictValidationService validation, SessionService sessions, TimeProvider clock, IOptionsMonitor<OpenIddictServerOptions> server,
    IOptions<ServerOptions> hub)
{
    private static readonly HubResult<Caller> Refused = HubResult<Caller>.Failed(HubErrorCode.Unauthenticated);

    /// <summary>
    /// Who the token speaks for; refused with <see cref="HubErrorCode.AccessTokenExpired"/> when the only problem is
    /// that our own access token has expired, else <see cref="HubErrorCode.Unauthenticated"/>. A valid token counts as
    /// a use of its session.
    /// </summary>
    public async Task<HubResult<Caller>> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ClaimsPrincipal principal;
        try
        {
            principal = await validation.ValidateAccessTokenAsync(token, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return HubResult<Caller>.Failed(await IsExpiredAsync(token) ? HubErrorCode.AccessTokenExpired : HubErrorCode.Unauthenticated);
        }

        // The account API is a resource of its own: a token must have been granted for it (scope and audience), so a
        // token a client obtained for sign-in (openid) or for another resource server cannot change a password.
        if (!principal.HasScope(HubClaims.AccountScope) || !principal.HasAudience(hub.Value.AccountAudience))
        {
            return Refused;
        }
        if (!Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) ||
            !Guid.TryParse(principal.GetClaim(HubClaims.TenantId), out var tenantId) ||
            principal.GetClaim(HubClaims.SessionId) is not { Length: > 0 } sessionId)
        {
            // A client-credentials token, or anything else that does not speak for a user.
            return Refused;
        }
        // Active (not signed out, no password change since, within its lifetimes), and this call counts as a use.
        if (!await sessions.UseAsync(sessionId, userId, cancellationToken))
        {
            return Refused;
        }
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        return new Caller(userId, tenantId, sessionId, clientId, HubClaims.AuthTime(principal));
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
