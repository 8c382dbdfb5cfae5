using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Consents;
using IdentityHub.EmailVerification;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// Account overview: who is signed in, the preferred language (drives emails), the active sessions with "sign out this
/// device" and "sign out everywhere else", the applications consented to with "revoke access", recent security events.
/// </summary>
[Authorize]
public sealed class ManageModel(UserManager<HubUser> users, TenantService tenants, IdentityHubDbContext db, TimeProvider clock,
    OwnSessionsService ownSessions, ConsentService consents, EmailVerificationService verifications) : PageModel
{
    private const int EventCount = 20;

    public HubUser? Account { get; private set; }

    public string? TenantName { get; private set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    [BindProperty]
    public string? PreferredLanguage { get; set; }

    public bool Saved { get; private set; }

    public IReadOnlyList<HubSession> Sessions { get; private set; } = [];

    public string? CurrentSessionId { get; private set; }

    public IReadOnlyList<GrantedConsent> Consents { get; private set; } = [];

    /// <summary>What the sign-out just posted did (<c>one</c>, <c>others</c>, <c>none</c>, <c>access</c>, <c>noaccess</c>): the forms redirect here with it (post, redirect, get).</summary>
    [BindProperty(SupportsGet = true)]
    public string? SignedOut { get; set; }

    /// <summary>The resource key of the message for <see cref="SignedOut"/>.</summary>
    public string? SignOutMessageKey => SignedOut switch
    {
        "one" => "SessionSignedOut",
        "others" => "OtherSessionsSignedOut",
        "none" => "SessionNotFound",
        "access" => "AccessRevoked",
        "noaccess" => "ConsentNotFound",
        _ => null,
    };

    /// <summary>What "send me a verification email" just did (<c>sent</c>, <c>later</c>): the form redirects here with it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Verification { get; set; }

    /// <summary>With <c>Verification=later</c>: seconds until another email can be sent.</summary>
    [BindProperty(SupportsGet = true)]
    public int? RetryAfter { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : Challenge();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Challenge();
        }
        var language = PageCultures.Codes.Contains(PreferredLanguage) ? PreferredLanguage : null;
        Account!.Locale = language;
        Account.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        Saved = (await users.UpdateAsync(Account)).Succeeded;
        return Page();
    }

    /// <summary>"Sign out this device": ends one other session; an id that is not an active session of this user changes nothing.</summary>
    public async Task<IActionResult> OnPostSignOutSessionAsync(string? id, CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session)
        {
            return Challenge();
        }
        var ended = await ownSessions.SignOutAsync(session.UserId, session.TenantId, id ?? "", HttpOrigin.From(HttpContext, null, session.SessionId), cancellationToken);
        return RedirectToPage("/Account/Manage", new { signedOut = ended.Succeeded ? "one" : "none" });
    }

    /// <summary>"Sign out everywhere else": ends every session of this user but the one making the request.</summary>
    public async Task<IActionResult> OnPostSignOutOthersAsync(CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session)
        {
            return Challenge();
        }
        await ownSessions.SignOutOthersAsync(session.UserId, session.TenantId, session.SessionId, HttpOrigin.From(HttpContext, null, session.SessionId), cancellationToken);
        return RedirectToPage("/Account/Manage", new { signedOut = "others" });
    }

    /// <summary>"Revoke access": ends one consent of this user with its tokens; another id changes nothing.</summary>
    public async Task<IActionResult> OnPostRevokeConsentAsync(string? id, CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session)
        {
            return Challenge();
        }
        var revoked = await consents.RevokeAsync(session.UserId, session.TenantId, id ?? "", HttpOrigin.From(HttpContext, null, session.SessionId), cancellationToken);
        return RedirectToPage("/Account/Manage", new { signedOut = revoked ? "access" : "noaccess" });
    }

    /// <summary>"Send me a verification email", shown while the email is unverified; at most one per interval.</summary>
    public async Task<IActionResult> OnPostVerifyEmailAsync(CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session)
        {
            return Challenge();
        }
        var context = new EmailLinkContext(HttpOrigin.From(HttpContext, null, session.SessionId))
        {
            Locale = PageCultures.Chosen(HttpContext),
            PreferredLocales = HttpOrigin.AcceptLanguages(HttpContext),
            Issuer = HttpOrigin.Issuer(HttpContext),
        };
        var sent = await verifications.SendAsync(session.UserId, context, cancellationToken);
        return sent.Error is { Code: HubErrorCode.RateLimited } throttled
            ? RedirectToPage("/Account/Manage", null, new { verification = "later", retryAfter = throttled.RetryAfterSeconds }, "email")
            : RedirectToPage("/Account/Manage", null, new { verification = sent.Succeeded ? "sent" : null }, "email");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session || await users.FindByIdAsync(session.UserId.ToString()) is not { } user)
        {
            return false;
        }
        Account = user;
        CurrentSessionId = session.SessionId;
        Sessions = await ownSessions.ListAsync(user.Id, cancellationToken);
        Consents = await consents.ListAsync(user.Id, cancellationToken);
        PreferredLanguage ??= user.Locale;
        TenantName = (await tenants.FindAsync(user.TenantId, cancellationToken))?.Name;
        Events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.UserId == user.Id)
            .OrderByDescending(e => e.Id)
            .Take(EventCount)
            .ToListAsync(cancellationToken);
        return true;
    }
}
