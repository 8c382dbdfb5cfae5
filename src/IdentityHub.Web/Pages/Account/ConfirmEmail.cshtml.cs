using IdentityHub.Accounts;
using IdentityHub.EmailVerification;
using IdentityHub.Errors;
using IdentityHub.PasswordResets;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// The verification email's link: checked when opened (a used or stale link is said so at once), confirmed with a
/// button (a POST, so that a mail scanner that opens links confirms nothing). Nobody is signed in by it.
/// </summary>
public sealed class ConfirmEmailModel(EmailVerificationService verifications) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty(SupportsGet = true, Name = "tenant")]
    public Guid? TenantId { get; set; }

    /// <summary>The address the link confirms, once checked.</summary>
    public string? Email { get; private set; }

    /// <summary>Why the link cannot be used (<see cref="ResetLinkReasons.Invalid"/> or <see cref="ResetLinkReasons.Used"/>), or null.</summary>
    public string? LinkProblem { get; private set; }

    public bool Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var link = await verifications.CheckAsync(Token, TenantId, cancellationToken);
        Show(link);
        return NotCached();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var confirmed = await verifications.ConfirmAsync(Token, TenantId, HttpOrigin.From(HttpContext, null, null), cancellationToken);
        Confirmed = confirmed.Succeeded;
        Show(confirmed);
        return NotCached();
    }

    private void Show(HubResult<HubUser> link)
    {
        if (link.Succeeded)
        {
            Email = link.Value.Email;
        }
        else
        {
            LinkProblem = link.Error!.Rules.FirstOrDefault() ?? ResetLinkReasons.Invalid;
        }
    }

    /// <summary>The page (its link's token) is never cached.</summary>
    private PageResult NotCached()
    {
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
