using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Tenancy;

/// <summary>Reads tenants. Tenants are created and updated by seeding; requests only read them.</summary>
public sealed class TenantService(IdentityHubDbContext db)
{
    /// <summary>Finds a tenant by id, untracked; null when it does not exist.</summary>
    public Task<Tenant?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <summary>All tenants by name, for the sign-in page's tenant picker and startup logging.</summary>
    public Task<List<Tenant>> ListAsync(CancellationToken cancellationToken = default) =>
        db.Tenants.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
}
