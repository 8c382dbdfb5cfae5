using IdentityHub.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Ends a browser session as soon as its server-side session is revoked (password change, sign-out elsewhere),
/// instead of waiting for the cookie to expire.
/// </summary>
internal static class SessionCookieValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
        var principal = context.Principal;
        if (principal is null ||
            !Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) ||
            !await sessions.IsActiveAsync(principal.GetClaim(HubClaims.SessionId), userId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionCookie.Scheme);
        }
    }
}
