using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Pages.Account;

/// <summary>Account overview: who is signed in, the preferred language (drives emails), recent security events.</summary>
[Authorize]
public sealed class ManageModel(UserManager<HubUser> users, TenantService tenants, IdentityHubDbContext db, TimeProvider clock) : PageModel
{
    private const int EventCount = 20;

    public HubUser? Account { get; private set; }

    public string? TenantName { get; private set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    [BindProperty]
    public string? PreferredLanguage { get; set; }

    public bool Saved { get; private set; }

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

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (HubClaims.ReadSession(User) is not { } session || await users.FindByIdAsync(session.UserId.ToString()) is not { } user)
        {
            return false;
        }
        Account = user;
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
