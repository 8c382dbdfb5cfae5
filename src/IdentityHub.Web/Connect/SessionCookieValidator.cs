using IdentityHub.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Ends a browser session as soon as its server-side session ends (password change, sign-out elsewhere, its
/// lifetimes), instead of waiting for the cookie to expire. A page visit is a use of the session.
/// </summary>
internal static class SessionCookieValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
        var principal = context.Principal;
        if (principal is null ||
            !Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) ||
            !await sessions.UseAsync(principal.GetClaim(HubClaims.SessionId), userId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionCookie.Scheme);
        }
    }
}
