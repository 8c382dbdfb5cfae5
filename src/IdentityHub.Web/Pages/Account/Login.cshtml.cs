using System.Security.Claims;
using IdentityHub.Accounts;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Authentication;

namespace IdentityHub.Web.Pages.Account;

/// <summary>Email and password sign-in within a tenant; starts a session and sets the session cookie.</summary>
public sealed class LoginModel(TenantService tenants, PasswordSignInService signIn, SessionService sessions, TimeProvider clock, IOptions<ServerOptions> server) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true, Name = "tenant")]
    public Guid? FixedTenant { get; set; }

    [BindProperty]
    public Guid? TenantId { get; set; }

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public IReadOnlyList<Tenant> Tenants { get; private set; } = [];

    /// <summary>The resource key of the error to show, if any.</summary>
    public string? ErrorKey { get; private set; }

    /// <summary>For a throttled or busy answer: when to try again, in seconds (the message's argument).</summary>
    public int? RetryAfterSeconds { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantsAsync(cancellationToken);
        TenantId ??= FixedTenant ?? (Tenants.Count == 1 ? Tenants[0].Id : null);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadTenantsAsync(cancellationToken);
        var tenantId = FixedTenant ?? TenantId ?? (Tenants.Count == 1 ? Tenants[0].Id : null);
        if (tenantId is null || Tenants.All(t => t.Id != tenantId))
        {
            ErrorKey = "ChooseOrganization";
            return Page();
        }

        var check = await signIn.CheckAsync(tenantId.Value, Email, Password, HttpOrigin.From(HttpContext, null, null));
        Password = "";
        if (TryLaterPage.For(this, check, out var tryLaterKey) is { } tryLater)
        {
            ErrorKey = tryLaterKey;
            RetryAfterSeconds = check.Error!.RetryAfterSeconds;
            return tryLater;
        }
        if (!check.Succeeded)
        {
            // One message for an unknown email, a wrong password and a locked account: the page must not reveal
            // which accounts exist.
            ErrorKey = "SignInError";
            return Page();
        }

        var session = await sessions.StartAsync(check.Value, null, cancellationToken);
        var identity = HubClaims.CreateIdentity(check.Value, session.Id, new DateTimeOffset(session.AuthenticatedAt, TimeSpan.Zero), SessionCookie.Scheme);
        await HttpContext.SignInAsync(SessionCookie.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = clock.GetUtcNow() + server.Value.SessionCookieLifetime,
        });
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private async Task LoadTenantsAsync(CancellationToken cancellationToken) => Tenants = await tenants.ListAsync(cancellationToken);
}
