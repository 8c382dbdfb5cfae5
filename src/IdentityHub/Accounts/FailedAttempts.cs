using IdentityHub.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Accounts;

/// <summary>
/// Counts failed password attempts in the database, one SQL statement each. Identity's <c>AccessFailedAsync</c>
/// reads the user, adds one and saves under the concurrency stamp: N parallel wrong guesses then count as one, and
/// the losers fail on the stamp (and used to take their audit row down with them). Here the increment, and the lock
/// when it reaches the limit, happen in one <c>UPDATE</c>, so every guess counts and none can fail on a race.
/// </summary>
public sealed class FailedAttempts(IdentityHubDbContext db, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    /// <summary>Counts one failure; returns the end of the lockout when the account is now locked, else null.</summary>
    public async Task<DateTimeOffset?> RecordAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var lockout = identity.Value.Lockout;
        var max = lockout.MaxFailedAccessAttempts;
        var now = clock.GetUtcNow();
        var until = now + lockout.DefaultLockoutTimeSpan;
        // Both assignments read the row as it was: the count restarts when the lock is set, as Identity does.
        await db.Users.Where(u => u.Id == userId && u.LockoutEnabled).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.LockoutEnd, u => u.AccessFailedCount + 1 >= max ? until : u.LockoutEnd)
            .SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1 >= max ? 0 : u.AccessFailedCount + 1), cancellationToken);
        var lockedUntil = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.LockoutEnd).SingleOrDefaultAsync(cancellationToken);
        return lockedUntil > now ? lockedUntil : null;
    }

    /// <summary>Clears the count after a successful check, without touching anything else of the user.</summary>
    public Task ResetAsync(Guid userId, CancellationToken cancellationToken = default) =>
        db.Users.Where(u => u.Id == userId && u.AccessFailedCount > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
}
