using IdentityHub.Errors;
using IdentityHub.PasswordResets;
using IdentityHub.Tenancy;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// "Forgot your password?": an email within a tenant; a reset link is sent when it has an account. The page says the
/// same thing for any email, so it never reveals which accounts exist.
/// </summary>
public sealed class ForgotPasswordModel(TenantService tenants, PasswordResetService resets, IOptions<PasswordResetOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "tenant")]
    public Guid? FixedTenant { get; set; }

    [BindProperty]
    public Guid? TenantId { get; set; }

    [BindProperty]
    public string Email { get; set; } = "";

    public IReadOnlyList<Tenant> Tenants { get; private set; } = [];

    /// <summary>The resource key of the error to show, if any.</summary>
    public string? ErrorKey { get; private set; }

    /// <summary>For a throttled answer: when to try again, in seconds.</summary>
    public int? RetryAfterSeconds { get; private set; }

    /// <summary>True once a request was accepted (whether or not an email went out).</summary>
    public bool Sent { get; private set; }

    /// <summary>How long a link works, in minutes, for the confirmation.</summary>
    public int ValidForMinutes => (int)Math.Round(options.Value.TokenLifetime.TotalMinutes);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Tenants = await tenants.ListAsync(cancellationToken);
        TenantId ??= FixedTenant ?? (Tenants.Count == 1 ? Tenants[0].Id : null);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Tenants = await tenants.ListAsync(cancellationToken);
        var tenantId = FixedTenant ?? TenantId ?? (Tenants.Count == 1 ? Tenants[0].Id : null);
        if (tenantId is null || Tenants.All(t => t.Id != tenantId))
        {
            ErrorKey = "ChooseOrganization";
            return Page();
        }
        // The language chosen with the switcher is an explicit choice for the email, as on the change-password page.
        var chosen = PageCultures.Chosen(HttpContext);
        var result = await resets.RequestAsync(new PasswordResetRequest(tenantId.Value, Email, HttpOrigin.From(HttpContext, null, null))
        {
            Locale = chosen,
            PreferredLocales = HttpOrigin.AcceptLanguages(HttpContext),
            Issuer = HttpOrigin.Issuer(HttpContext),
        }, cancellationToken);
        if (TryLaterPage.For(this, result, out var tryLaterKey) is { } tryLater)
        {
            ErrorKey = tryLaterKey;
            RetryAfterSeconds = result.Error!.RetryAfterSeconds;
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
