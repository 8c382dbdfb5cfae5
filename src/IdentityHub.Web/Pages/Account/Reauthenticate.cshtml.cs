using System.Security.Claims;
using IdentityHub.Accounts;
using IdentityHub.Sessions;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Web.Pages.Account;

/// <summary>Step-up for the pages: the signed-in person enters their password again; failures are throttled and count toward lockout.</summary>
[Authorize]
public sealed class ReauthenticateModel(PasswordSignInService signIn, SessionService sessions, TimeProvider clock, IOptions<ServerOptions> server) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Password { get; set; } = "";

    public string? Email => User.FindFirstValue("email");

    /// <summary>The resource key of the error to show, if any.</summary>
    public string? ErrorKey { get; private set; }

    /// <summary>For a throttled or busy answer: when to try again, in seconds (the message's argument).</summary>
    public int? RetryAfterSeconds { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session)
        {
            return Challenge();
        }
        var check = await signIn.ReauthenticateAsync(session.UserId, Password, HttpOrigin.From(HttpContext, null, session.SessionId));
        Password = "";
        if (TryLaterPage.For(this, check, out var tryLaterKey) is { } tryLater)
        {
            ErrorKey = tryLaterKey;
            RetryAfterSeconds = check.Error!.RetryAfterSeconds;
            return tryLater;
        }
        if (!check.Succeeded)
        {
            ErrorKey = "ReauthError";
            return Page();
        }

        await sessions.MarkReauthenticatedAsync(session.SessionId, cancellationToken);
        var identity = HubClaims.CreateIdentity(check.Value, session.SessionId, clock.GetUtcNow(), SessionCookie.Scheme);
        await HttpContext.SignInAsync(SessionCookie.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            ExpiresUtc = clock.GetUtcNow() + server.Value.SessionCookieLifetime,
        });
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/Account/Manage");
    }
}
