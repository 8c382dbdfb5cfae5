using IdentityHub.Errors;
using IdentityHub.Tenancy;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// A page that works within one tenant before anyone is signed in (sign-in, forgot password): the tenant fixed by the
/// link (<c>?tenant=</c>), else picked from a list, else the only one.
/// </summary>
public abstract class TenantPageModel(TenantService tenants) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "tenant")]
    public Guid? FixedTenant { get; set; }

    [BindProperty]
    public Guid? TenantId { get; set; }

    public IReadOnlyList<Tenant> Tenants { get; private set; } = [];

    /// <summary>The resource key of the error to show, if any.</summary>
    public string? ErrorKey { get; protected set; }

    /// <summary>For a throttled or busy answer: when to try again, in seconds (the message's argument).</summary>
    public int? RetryAfterSeconds { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadTenantsAsync(cancellationToken);

    /// <summary>Loads the tenants and preselects the fixed one, or the only one.</summary>
    protected async Task LoadTenantsAsync(CancellationToken cancellationToken)
    {
        Tenants = await tenants.ListAsync(cancellationToken);
        TenantId ??= FixedTenant ?? (Tenants.Count == 1 ? Tenants[0].Id : null);
    }

    /// <summary>The tenant the posted form is for; null (and the error set) when none, or an unknown one, was given.</summary>
    protected async Task<Guid?> PostedTenantAsync(CancellationToken cancellationToken)
    {
        await LoadTenantsAsync(cancellationToken);
        var tenantId = FixedTenant ?? TenantId;
        if (tenantId is null || Tenants.All(t => t.Id != tenantId))
        {
            ErrorKey = "ChooseOrganization";
            return null;
        }
        return tenantId;
    }

    /// <summary>The page for a throttled (429) or busy (503) result, with its message and <c>Retry-After</c>; else null.</summary>
    protected PageResult? TryLater(HubResult result)
    {
        var page = TryLaterPage.For(this, result, out var key);
        if (page is not null)
        {
            ErrorKey = key;
            RetryAfterSeconds = result.Error!.RetryAfterSeconds;
        }
        return page;
    }
}
