using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Passwords;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Api;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// Change password for the signed-in person: the tenant's rules shown before typing, every violated rule listed
/// after a server-side check, the same core (and the same email) as the APIs. A sign-in older than
/// <see cref="StepUpOptions.ReauthenticateAfter"/> must re-enter the password first.
/// </summary>
[Authorize]
public sealed class ChangePasswordModel(
    ChangePasswordService passwords, PasswordPolicyService policies, PasswordChangeReceipts receipts, TimeProvider clock, IOptions<StepUpOptions> stepUp) : PageModel
{
    [BindProperty]
    public string CurrentPassword { get; set; } = "";

    [BindProperty]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    public string ConfirmPassword { get; set; } = "";

    [BindProperty]
    public bool SignOutOthers { get; set; } = true;

    /// <summary>Where to continue after a change the person was required to make (the sign-in's destination).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public PasswordPolicy Policy { get; private set; } = PasswordPolicy.Strict;

    /// <summary>Resource keys of general errors (incorrect current password, mismatch, ...).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Rule codes the new password violates.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Notices of the tenant's policies that denied the change, already localized.</summary>
    public List<string> Notices { get; } = [];

    public bool Succeeded { get; private set; }

    /// <summary>After a change: what it ended and whom it told, as it stands now.</summary>
    public ReceiptSummary? Receipt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (NeedsReauthentication(out var session))
        {
            return Reauthenticate();
        }
        Policy = await policies.GetPolicyAsync(session.TenantId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (NeedsReauthentication(out var session))
        {
            return Reauthenticate();
        }
        Policy = await policies.GetPolicyAsync(session.TenantId, cancellationToken);

        if (InputError() is { } inputError)
        {
            Errors.Add(inputError);
            return Cleared();
        }

        // The language the person chose with the switcher counts as an explicit choice for the email; otherwise the
        // usual order applies (Accept-Language, the user's preference, the tenant's default).
        var chosen = PageCultures.Chosen(HttpContext);
        var caller = new Caller(session.UserId, session.TenantId, session.SessionId, ClientId: null, session.AuthTime);
        var change = AccountRequest.BuildChange(HttpContext, caller, CurrentPassword, NewPassword, chosen) with
        {
            Revoke = SignOutOthers ? SessionRevocation.AllButCurrent : SessionRevocation.None,
            Dialect = "page",
        };
        var result = await passwords.ChangeAsync(change, cancellationToken);
        if (result.Succeeded)
        {
            Succeeded = true;
            if (Url.IsLocalUrl(ReturnUrl))
            {
                return LocalRedirect(ReturnUrl!);
            }
            var receipt = await receipts.FindAsync(session.TenantId, session.UserId, result.Value.ReceiptId, cancellationToken);
            Receipt = receipt is null ? null : ReceiptSummary.From(receipt);
            return Cleared();
        }
        foreach (var error in result.Errors)
        {
            Show(error);
        }
        return Cleared();
    }

    /// <summary>Why the form cannot go to the core at all (resource key), or null.</summary>
    private string? InputError() => PasswordRuleList.InputError(NewPassword, ConfirmPassword, CurrentPassword);

    /// <summary>The page's mapper of core errors: messages, rule lists and notices, and 503 with <c>Retry-After</c> when busy.</summary>
    private void Show(HubError error)
    {
        switch (error.Code)
        {
            case HubErrorCode.InvalidCurrentPassword:
                Errors.Add("Error_incorrect_password");
                break;
            case HubErrorCode.WeakPassword:
                Violations.AddRange(error.Rules);
                break;
            case HubErrorCode.TooManyAttempts:
                Errors.Add("Error_locked");
                break;
            case HubErrorCode.InvalidRequest when error.Rules.Contains(PasswordNormalizer.TooLong):
                // The core's own guard; the check above normally answers first.
                if (!Errors.Contains("Error_too_long"))
                {
                    Errors.Add("Error_too_long");
                }
                break;
            case HubErrorCode.ServiceBusy:
                // Too many password hashes running: nothing was checked; the same 503 and Retry-After as elsewhere.
                Errors.Add(TryLaterPage.Busy(this, error));
                break;
            case HubErrorCode.ForbiddenByPolicy:
                Errors.Add("Error_policy");
                Notices.AddRange(error.Notices);
                break;
            default:
                Errors.Add("Error_failed");
                break;
        }
    }

    /// <summary>The parameter of a rule's description (a length, a count), if it has one.</summary>
    public string RuleArgument(string rule) => PasswordRuleList.Argument(Policy, rule);

    /// <summary>The rules of the tenant's policy, in report order, to show before the person types.</summary>
    public IEnumerable<string> ActiveRules() => PasswordRuleList.Active(Policy);

    private bool NeedsReauthentication(out (Guid UserId, Guid TenantId, string SessionId, DateTimeOffset AuthTime) session)
    {
        session = HubClaims.ReadSession(User) ?? default;
        return session.SessionId is null || clock.GetUtcNow() - session.AuthTime > stepUp.Value.ReauthenticateAfter;
    }

    private RedirectResult Reauthenticate() => Redirect("/Account/Reauthenticate?ReturnUrl=%2FAccount%2FChangePassword");

    /// <summary>Passwords are never sent back to the browser, even after an error.</summary>
    private PageResult Cleared()
    {
        CurrentPassword = NewPassword = ConfirmPassword = "";
        ModelState.Clear();
        return Page();
    }
}
