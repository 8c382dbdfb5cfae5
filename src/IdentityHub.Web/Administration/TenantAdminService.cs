using IdentityHub.Administration;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;
using IdentityHub.Web.Seeding;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Administration;

/// <summary>
/// Tenants for administrators: list, read, create, update, for the admin API and the command line alike. The
/// settings follow the seed's rules (<see cref="TenantSettings.Check"/>): a bad password policy or Cedar text is
/// refused, naming the problem, and nothing is stored. A tenant-bound administrator sees and changes its own tenant
/// only and creates none. A tenant the seed defines is configuration's: it can be read, never changed here
/// (<see cref="HubErrorCode.ManagedByConfiguration"/>). Every change is audited with the acting client.
/// </summary>
internal sealed class TenantAdminService(IdentityHubDbContext db, AuditLog audit, IOptions<SeedOptions> seed, TimeProvider clock)
{
    public async Task<TenantList> ListAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.AsNoTracking().Where(t => actor.TenantScope == null || t.Id == actor.TenantScope)
            .OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return new TenantList([.. tenants.Select(View)]);
    }

    public async Task<HubResult<TenantView>> GetAsync(AdminActor actor, Guid id, CancellationToken cancellationToken) =>
        await FindAsync(actor, id, cancellationToken) is { } tenant ? View(tenant) : HubResult<TenantView>.Failed(HubErrorCode.TenantNotFound);

    public async Task<HubResult<TenantView>> CreateAsync(AdminActor actor, TenantCreate request, CancellationToken cancellationToken)
    {
        if (actor.TenantScope is not null)
        {
            return HubResult<TenantView>.Failed(HubErrorCode.NotGlobalAdmin);
        }
        if (request.Id == Guid.Empty)
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.TenantId, ["must_not_be_empty"]);
        }
        var policy = request.PasswordPolicy is { } json ? AdminJson.ReadPolicy(json) : new PasswordPolicyOptions();
        if (!policy.Succeeded)
        {
            return HubResult<TenantView>.FailedLike(policy);
        }
        var settings = new TenantSettings(request.Name ?? "", request.DefaultLocale ?? "en", policy.Value, request.Policies, request.Attributes ?? []);
        if (settings.Check() is { Count: > 0 } errors)
        {
            return HubResult<TenantView>.Failed([.. errors]);
        }
        var tenant = new Tenant { Id = request.Id ?? Guid.CreateVersion7(), CreatedAt = clock.GetUtcNow().UtcDateTime };
        if (await db.Tenants.AnyAsync(t => t.Id == tenant.Id, cancellationToken))
        {
            return HubResult<TenantView>.Failed(HubErrorCode.AlreadyExists);
        }
        settings.ApplyTo(tenant);
        db.Tenants.Add(tenant);
        audit.Add(AuditEventTypes.TenantCreated, tenant.Id, null, actor.Origin);
        return await InsertAsync(tenant, cancellationToken);
    }

    public async Task<HubResult<TenantView>> UpdateAsync(AdminActor actor, Guid id, TenantChanges changes, CancellationToken cancellationToken)
    {
        if (await FindAsync(actor, id, cancellationToken, tracked: true) is not { } tenant)
        {
            return HubResult<TenantView>.Failed(HubErrorCode.TenantNotFound);
        }
        if (seed.Value.Defines(id))
        {
            return HubResult<TenantView>.Failed(HubErrorCode.ManagedByConfiguration);
        }
        var current = TenantSettings.Of(tenant);
        var policy = changes.PasswordPolicy is { } json ? AdminJson.ReadPolicy(json) : current.PasswordPolicy;
        if (!policy.Succeeded)
        {
            return HubResult<TenantView>.FailedLike(policy);
        }
        var settings = new TenantSettings(changes.Name ?? current.Name, changes.DefaultLocale ?? current.DefaultLocale, policy.Value,
            changes.Policies ?? current.Policies, changes.Attributes ?? current.Attributes);
        if (settings.Check() is { Count: > 0 } errors)
        {
            return HubResult<TenantView>.Failed([.. errors]);
        }
        settings.ApplyTo(tenant);
        audit.Add(AuditEventTypes.TenantUpdated, tenant.Id, null, actor.Origin);
        await db.SaveChangesAsync(cancellationToken);
        return View(tenant);
    }

    /// <summary>The tenant, when it exists and the actor administers it: another tenant's is as good as absent.</summary>
    private async Task<Tenant?> FindAsync(AdminActor actor, Guid id, CancellationToken cancellationToken, bool tracked = false)
    {
        if (!actor.MayAdminister(id))
        {
            return null;
        }
        var tenants = tracked ? db.Tenants : db.Tenants.AsNoTracking();
        return await tenants.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    /// <summary>Inserts the tenant with its audit event; two creations racing on one id: the second is told it exists.</summary>
    private async Task<HubResult<TenantView>> InsertAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return View(tenant);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.Tenants.AsNoTracking().AnyAsync(t => t.Id == tenant.Id, cancellationToken))
            {
                throw;
            }
            return HubResult<TenantView>.Failed(HubErrorCode.AlreadyExists);
        }
    }

    private TenantView View(Tenant tenant) => TenantView.Of(tenant, seed.Value.Defines(tenant.Id));
}
