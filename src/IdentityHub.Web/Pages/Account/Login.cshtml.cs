using System.Security.Claims;
using IdentityHub.Accounts;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Authentication;

namespace IdentityHub.Web.Pages.Account;

/// <summary>Email and password sign-in within a tenant; starts a session and sets the session cookie.</summary>
public sealed class LoginModel(TenantService tenants, PasswordSignInService signIn, SessionService sessions, TimeProvider clock, IOptions<ServerOptions> server)
    : TenantPageModel(tenants)
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await PostedTenantAsync(cancellationToken) is not { } tenantId)
        {
            return Page();
        }

        var origin = HttpOrigin.From(HttpContext, null, null);
        var check = await signIn.CheckAsync(tenantId, Email, Password, origin);
        Password = "";
        if (TryLater(check) is { } tryLater)
        {
            return tryLater;
        }
        if (!check.Succeeded)
        {
            // One message for an unknown email, a wrong password and a locked account: the page must not reveal
            // which accounts exist.
            ErrorKey = "SignInError";
            return Page();
        }

        var session = await sessions.StartAsync(check.Value, null, origin, cancellationToken);
        var identity = HubClaims.CreateIdentity(check.Value, session.Id, new DateTimeOffset(session.AuthenticatedAt, TimeSpan.Zero), SessionCookie.Scheme);
        await HttpContext.SignInAsync(SessionCookie.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = clock.GetUtcNow() + server.Value.SessionCookieLifetime,
        });
        var destination = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
        // A password an administrator asked to be changed is changed first; then the sign-in goes on where it was going.
        return LocalRedirect(check.Value.PasswordChangeRequired
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(ConnectEndpoints.ChangePasswordPath, "ReturnUrl", destination)
            : destination);
    }
}
