using System.Security.Claims;
using IdentityHub.Errors;
using IdentityHub.Sessions;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Api;

/// <summary>
/// Authenticates the bearer access token of an account API request, the same way for every dialect. OpenIddict
/// validates signature, issuer, type, lifetime and the stored token and authorization entries; on top of that the
/// token must name a user, a tenant and a sign-in session that is still active, so revocation never rests on
/// OpenIddict's entry checks alone.
/// </summary>
internal sealed class AccessTokenAuthenticator(SessionService sessions, TimeProvider clock)
{
    public async Task<(Caller? Caller, HubError? Error)> AuthenticateAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (result.None)
        {
            return (null, new HubError(HubErrorCode.AuthenticationRequired));
        }
        if (!result.Succeeded)
        {
            return (null, new HubError(await IsExpiredAsync(context) ? HubErrorCode.AccessTokenExpired : HubErrorCode.Unauthenticated));
        }

        var principal = result.Principal;
        if (!Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) ||
            !Guid.TryParse(principal.GetClaim(HubClaims.TenantId), out var tenantId) ||
            principal.GetClaim(HubClaims.SessionId) is not { Length: > 0 } sessionId)
        {
            // A client-credentials token, or anything else that does not speak for a user.
            return (null, new HubError(HubErrorCode.Unauthenticated));
        }
        if (!await sessions.IsActiveAsync(sessionId, userId, context.RequestAborted))
        {
            return (null, new HubError(HubErrorCode.Unauthenticated));
        }
        DateTimeOffset? authTime = long.TryParse(principal.GetClaim(Claims.AuthenticationTime), out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        return (new Caller(userId, tenantId, sessionId, principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault(), authTime), null);
    }

    /// <summary>
    /// OpenIddict reports an expired and a revoked token alike. It checks the lifetime only after the signature,
    /// so a rejected token whose (unverified) <c>exp</c> is in the past was rejected for expiry or something later;
    /// either way "expired" is the truthful and useful answer to the client, which must get a new token.
    /// </summary>
    private async Task<bool> IsExpiredAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(header["Bearer ".Length..].Trim());
        }
        catch (ArgumentException)
        {
            return false;
        }
        return token.ValidTo != DateTime.MinValue && token.ValidTo < clock.GetUtcNow().UtcDateTime && await HasValidSignatureAsync(context, token);
    }

    private static async Task<bool> HasValidSignatureAsync(HttpContext context, JsonWebToken token)
    {
        // Only a token we signed can be "expired"; a forged one with an old exp is just invalid.
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIddict.Server.OpenIddictServerOptions>>().CurrentValue;
        var handler = new JsonWebTokenHandler();
        var validation = await handler.ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            IssuerSigningKeys = options.SigningCredentials.Select(c => c.Key),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidTypes = ["at+jwt"],
        });
        return validation.IsValid;
    }
}
