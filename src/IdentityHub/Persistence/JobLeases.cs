using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Persistence;

/// <summary>
/// Cluster-wide jobs run by one instance at a time: an instance takes a job's lease with one conditional
/// <c>UPDATE</c> (the lease has ended, or is already its own), so of several instances asking together exactly one
/// gets it, on SQLite and on a server database alike. A lease that is never renewed (its instance died) ends by itself.
/// </summary>
public sealed class JobLeases(IdentityHubDbContext db, HubInstance instance, TimeProvider clock)
{
    /// <summary>
    /// Takes (or renews) the lease on <paramref name="job"/> for <paramref name="duration"/>; true when this instance
    /// holds it now, false when another instance holds a lease that has not ended.
    /// </summary>
    public async Task<bool> TryTakeAsync(string job, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + duration;
        var owner = instance.Id;
        var taken = await db.JobLeases.Where(l => l.Name == job && (l.ExpiresAt <= now || l.Owner == owner))
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.Owner, owner).SetProperty(l => l.ExpiresAt, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }
        if (await db.JobLeases.AsNoTracking().AnyAsync(l => l.Name == job, cancellationToken))
        {
            return false;
        }
        // The job's first lease: of several instances inserting together, the primary key lets one through.
        var lease = db.JobLeases.Add(new JobLease { Name = job, Owner = owner, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            lease.State = EntityState.Detached;
        }
    }
}
