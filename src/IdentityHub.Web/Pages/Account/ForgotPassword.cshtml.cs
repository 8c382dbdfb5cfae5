using IdentityHub.Errors;
using IdentityHub.PasswordResets;
using IdentityHub.Tenancy;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// "Forgot your password?": an email within a tenant; a reset link is sent when it has an account. The page says the
/// same thing for any email, so it never reveals which accounts exist.
/// </summary>
public sealed class ForgotPasswordModel(TenantService tenants, PasswordResetService resets, IOptions<PasswordResetOptions> options) : TenantPageModel(tenants)
{
    [BindProperty]
    public string Email { get; set; } = "";

    /// <summary>True once a request was accepted (whether or not an email went out).</summary>
    public bool Sent { get; private set; }

    /// <summary>How long a link works, in minutes, for the confirmation.</summary>
    public int ValidForMinutes => (int)Math.Round(options.Value.TokenLifetime.TotalMinutes);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await PostedTenantAsync(cancellationToken) is not { } tenantId)
        {
            return Page();
        }
        // The language chosen with the switcher is an explicit choice for the email, as on the change-password page.
        var chosen = PageCultures.Chosen(HttpContext);
        var result = await resets.RequestAsync(new PasswordResetRequest(tenantId, Email, HttpOrigin.From(HttpContext, null, null))
        {
            Locale = chosen,
            PreferredLocales = HttpOrigin.AcceptLanguages(HttpContext),
            Issuer = HttpOrigin.Issuer(HttpContext),
        }, cancellationToken);
        if (TryLater(result) is { } tryLater)
        {
            return tryLater;
        }
        if (!result.Succeeded)
        {
            ErrorKey = result.Error!.Code == HubErrorCode.InvalidRequest ? "Error_email" : "Error_failed";
            return Page();
        }
        Sent = true;
        return Page();
    }
}
