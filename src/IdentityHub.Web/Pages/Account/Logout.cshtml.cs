using IdentityHub.Sessions;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Authentication;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// Sign-out, always confirmed by a POST with an antiforgery token (a link or an RP's redirect alone cannot sign a
/// person out). Also the confirmation step of OpenID Connect end-session: it returns to /connect/endsession.
/// </summary>
public sealed class LogoutModel(SessionService sessions) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is { } session)
        {
            // Ending the session ends every token issued from it as well (refresh, userinfo, introspection, the
            // account API all check the session), without touching OpenIddict's token entries one by one.
            await sessions.RevokeAsync(session.SessionId, session.UserId, cancellationToken);
        }
        await HttpContext.SignOutAsync(SessionCookie.Scheme);
        return Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/connect/endsession", StringComparison.Ordinal)
            ? LocalRedirect(ReturnUrl)
            : RedirectToPage();
    }
}
