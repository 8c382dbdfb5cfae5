using IdentityHub.Errors;
using IdentityHub.PasswordResets;
using IdentityHub.Passwords;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// The reset email's link: checked when opened (a used, expired or superseded link, or a reset the tenant's policies
/// forbid, is said so at once), then a new password through the tenant's full policy, with the same core as the API.
/// </summary>
public sealed class ResetPasswordModel(PasswordResetService resets) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    public string ConfirmPassword { get; set; } = "";

    public PasswordPolicy Policy { get; private set; } = PasswordPolicy.Strict;

    /// <summary>Why the link cannot be used (a <see cref="ResetLinkReasons"/> value), or null.</summary>
    public string? LinkProblem { get; private set; }

    /// <summary>The tenant of the link's account, for the sign-in and new-link links.</summary>
    public Guid? TenantId { get; private set; }

    /// <summary>Resource keys of general errors.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Rule codes the new password violates.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Notices of the tenant's policies that forbid the reset, already localized.</summary>
    public List<string> Notices { get; } = [];

    public bool Succeeded { get; private set; }

    /// <summary>The link is an invitation's (the account has no password yet): the page says "choose" rather than "reset".</summary>
    public bool Invitation { get; private set; }

    /// <summary>Whether the form is shown: the link is usable and the reset not done yet.</summary>
    public bool ShowForm => !Succeeded && LinkProblem is null && Notices.Count == 0 && !Errors.Contains("Error_not_local");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var link = await resets.CheckLinkAsync(Confirmation(""), cancellationToken);
        if (link.Succeeded)
        {
            Policy = PasswordPolicy.Resolve(link.Value.Tenant.PasswordPolicy);
            TenantId = link.Value.Tenant.Id;
            Invitation = !link.Value.User.HasLocalPassword;
        }
        else
        {
            Show(link.Errors[0]);
        }
        return Cleared();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var link = await resets.CheckLinkAsync(Confirmation(""), cancellationToken);
        if (!link.Succeeded)
        {
            Show(link.Errors[0]);
            return Cleared();
        }
        Policy = PasswordPolicy.Resolve(link.Value.Tenant.PasswordPolicy);
        TenantId = link.Value.Tenant.Id;
        Invitation = !link.Value.User.HasLocalPassword;
        if (PasswordRuleList.InputError(NewPassword, ConfirmPassword) is { } inputError)
        {
            Errors.Add(inputError);
            return Cleared();
        }
        var result = await resets.ResetAsync(Confirmation(NewPassword), cancellationToken);
        Succeeded = result.Succeeded;
        foreach (var error in result.Errors)
        {
            Show(error);
        }
        return Cleared();
    }

    private PasswordResetConfirmation Confirmation(string newPassword) =>
        new(Token, newPassword, HttpOrigin.From(HttpContext, null, null))
        {
            Locale = PageCultures.Chosen(HttpContext),
            PreferredLocales = HttpOrigin.AcceptLanguages(HttpContext),
            Issuer = HttpOrigin.Issuer(HttpContext),
            Dialect = "page",
        };

    /// <summary>The page's mapper of core errors: the link's problem, rule lists, notices, 503 when busy.</summary>
    private void Show(HubError error)
    {
        switch (error.Code)
        {
            case HubErrorCode.ResetLinkInvalid:
                LinkProblem = error.Rules.FirstOrDefault() ?? ResetLinkReasons.Invalid;
                break;
            case HubErrorCode.WeakPassword:
                Violations.AddRange(error.Rules);
                break;
            case HubErrorCode.ForbiddenByPolicy:
                Errors.Add("Error_reset_policy");
                Notices.AddRange(error.Notices);
                break;
            case HubErrorCode.NotLocalUser:
                Errors.Add("Error_not_local");
                break;
            case HubErrorCode.InvalidRequest when error.Rules.Contains(PasswordNormalizer.TooLong):
                Errors.Add("Error_too_long");
                break;
            case HubErrorCode.ServiceBusy:
                // Too many password hashes running: nothing was checked; the same 503 and Retry-After as elsewhere.
                Errors.Add(TryLaterPage.Busy(this, error));
                break;
            default:
                Errors.Add("Error_failed");
                break;
        }
    }

    /// <summary>Passwords are never sent back to the browser; the page (its link's token) is never cached.</summary>
    private PageResult Cleared()
    {
        NewPassword = ConfirmPassword = "";
        ModelState.Clear();
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
