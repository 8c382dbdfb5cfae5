using IdentityHub.Persistence;
using IdentityHub.Telemetry;
using IdentityHub.Throttling;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Accounts;

/// <summary>
/// Lockout accounting around every password check, at two levels:
/// <list type="bullet">
/// <item>per (client IP, account), in Redis when configured, else in memory per instance (<see cref="PerIpAttempts"/>):
/// <see cref="LockoutPolicyOptions.MaxFailedAccessAttemptsPerIp"/> failures lock that IP out of that account, so an
/// attacker locks out themselves first, not the owner;</item>
/// <item>per account, in the database (<c>AccessFailedCount</c>, <c>LockoutEnd</c>): Identity's
/// <c>MaxFailedAccessAttempts</c>, higher, locks the account for every IP.</item>
/// </list>
/// An attempt is <em>reserved</em> at both levels before the password is verified, each with one atomic step (a
/// lock in memory or one Lua script in Redis, one conditional SQL <c>UPDATE</c> whose affected-row count says whether it got a slot). Reading
/// "not locked" and then verifying would let N parallel guesses all read "not locked" and all be verified; with a
/// reservation at most the limit are ever verified, and the rest are answered as locked without verifying.
/// Then the attempt is resolved: <see cref="SucceededAsync"/> resets both counts, <see cref="FailedAsync"/> keeps them
/// (and locks at the limit), <see cref="ReleaseAsync"/> gives the slot back when the password was never verified.
/// While locked the database count stays at the limit; the first attempt after the lock ends starts it again from 0.
/// </summary>
public sealed class FailedAttempts(
    IdentityHubDbContext db, IOptions<IdentityOptions> identity, IOptions<LockoutPolicyOptions> policy, PerIpAttempts perIp, IdentityHubMetrics metrics,
    TimeProvider clock)
{
    /// <summary>Striped locks, one per account (bounded memory; two accounts share a stripe rarely and only wait briefly).</summary>
    private static readonly SemaphoreSlim[] Turns = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Lets the password checks of one account run one at a time in this process, from the reservation to its
    /// resolution. A reservation counts an attempt before its password is known, so without this, concurrent
    /// <em>right</em> passwords (a script, a load test, several tabs) would hold every slot and be answered as locked;
    /// in turn they wait a hash each instead. Parallel wrong guesses are then verified one after another, the lock
    /// falling after the limit as before. Across instances the database reservation alone holds.
    /// </summary>
    public async Task<IDisposable> TakeTurnAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var turn = Turns[(userId.GetHashCode() & int.MaxValue) % Turns.Length];
        await turn.WaitAsync(cancellationToken);
        return new Turn(turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    /// <summary>
    /// Whether the account is locked for everyone, as read with the user (Identity's <c>IsLockedOutAsync</c>, but on
    /// the host's clock like the rest of the lockout accounting). The cheap check before a reservation; the
    /// reservation is what holds under parallel requests.
    /// </summary>
    public bool IsLockedOut(HubUser user) => user.LockoutEnabled && user.LockoutEnd > clock.GetUtcNow();

    /// <summary>
    /// Reserves one attempt for <paramref name="user"/> from <paramref name="ipAddress"/>. When it is not granted the
    /// password must not be verified, and <see cref="AttemptReservation.LockedUntil"/> says until when the account (or
    /// this IP, for this account) is locked.
    /// </summary>
    public async Task<AttemptReservation> ReserveAsync(HubUser user, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (!user.LockoutEnabled)
        {
            // Identity's per-user switch: an account that may never be locked is not counted at all.
            return new AttemptReservation(user.Id, null, InDatabase: false, LockedUntil: null);
        }
        var lockout = identity.Value.Lockout;
        var (ip, ipRetryAfter) = await perIp.Counter.TryTakeAsync(PerIpAttempts.Key(ipAddress, user.Id), policy.Value.MaxFailedAccessAttemptsPerIp,
            lockout.DefaultLockoutTimeSpan);
        if (ip is null)
        {
            return new AttemptReservation(user.Id, null, InDatabase: false, LockedUntil: clock.GetUtcNow() + ipRetryAfter);
        }
        if (await ReserveInDatabaseAsync(user.Id, cancellationToken) is { } lockedUntil)
        {
            await perIp.Counter.GiveBackAsync(ip);
            return new AttemptReservation(user.Id, null, InDatabase: false, LockedUntil: lockedUntil);
        }
        return new AttemptReservation(user.Id, ip, InDatabase: true, LockedUntil: null);
    }

    /// <summary>
    /// The password was wrong: the attempt keeps counting at both levels. Returns the end of the lockout when the
    /// account, or this IP for this account, is now locked, else null.
    /// </summary>
    public async Task<DateTimeOffset?> FailedAsync(AttemptReservation reservation, CancellationToken cancellationToken = default)
    {
        var lockout = identity.Value.Lockout;
        var lockedUntil = reservation.Ip is { } ip
            ? await perIp.Counter.KeepAsync(ip, policy.Value.MaxFailedAccessAttemptsPerIp, lockout.DefaultLockoutTimeSpan)
            : null;
        var accountWide = false;
        if (reservation.InDatabase)
        {
            var max = lockout.MaxFailedAccessAttempts;
            var now = clock.GetUtcNow();
            var until = now + lockout.DefaultLockoutTimeSpan;
            // The count already holds this failure (reserved); at the limit the account is locked. Several failures
            // reaching it together each set the end again, a few milliseconds apart: harmless.
            await db.Users.Where(u => u.Id == reservation.UserId && u.AccessFailedCount >= max)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.LockoutEnd, until), cancellationToken);
            var accountLockedUntil = await db.Users.AsNoTracking().Where(u => u.Id == reservation.UserId).Select(u => u.LockoutEnd).SingleOrDefaultAsync(cancellationToken);
            if (accountLockedUntil > now && (lockedUntil is null || accountLockedUntil > lockedUntil))
            {
                lockedUntil = accountLockedUntil;
                accountWide = true;
            }
        }
        if (lockedUntil is not null)
        {
            // This failure was verified under a granted reservation, so the lock starts with it.
            metrics.LockoutStarted(accountWide);
        }
        return lockedUntil;
    }

    /// <summary>
    /// The password was right: both counts start again from zero. A lock set meanwhile by parallel failures (or by
    /// an attempt that found every slot taken) is lifted too: the owner has just proved the password, so the
    /// result is what it would have been had this success come last.
    /// </summary>
    public async Task SucceededAsync(AttemptReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation.Ip is { } ip)
        {
            await perIp.Counter.ForgetAsync(ip);
        }
        if (reservation.InDatabase)
        {
            await db.Users.Where(u => u.Id == reservation.UserId && (u.AccessFailedCount > 0 || u.LockoutEnd != null))
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.AccessFailedCount, 0).SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null), cancellationToken);
        }
    }

    /// <summary>The password was never verified (the server was too busy to hash): the slot is given back.</summary>
    public async Task ReleaseAsync(AttemptReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation.Ip is { } ip)
        {
            await perIp.Counter.GiveBackAsync(ip);
        }
        if (reservation.InDatabase)
        {
            await db.Users.Where(u => u.Id == reservation.UserId && u.AccessFailedCount > 0)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);
        }
    }

    /// <summary>Takes one slot of the account-wide count; null when taken, else the end of the lock that refused it.</summary>
    private async Task<DateTimeOffset?> ReserveInDatabaseAsync(Guid userId, CancellationToken cancellationToken)
    {
        var lockout = identity.Value.Lockout;
        var max = lockout.MaxFailedAccessAttempts;
        // LockoutEnd is stored as text by SQLite: EF can compare it for equality in SQL, not for order. So the lock's
        // time is checked here, and the UPDATEs only ever test the count and equality.
        for (var pass = 0; pass < 2; pass++)
        {
            var taken = await db.Users.Where(u => u.Id == userId && u.AccessFailedCount < max)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken);
            if (taken == 1)
            {
                return null;
            }
            var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.AccessFailedCount, u.LockoutEnd }).SingleOrDefaultAsync(cancellationToken);
            var now = clock.GetUtcNow();
            if (row is null)
            {
                return now; // deleted meanwhile: nothing to verify against
            }
            if (row.LockoutEnd > now)
            {
                return row.LockoutEnd;
            }
            if (row.LockoutEnd is null)
            {
                // Every slot is held by an attempt still being verified, or by one whose process died before it
                // resolved. Lock now: failures would lock anyway, a success among them lifts it, and a slot lost to a
                // crash cannot keep the account refused beyond one lockout period.
                var until = now + lockout.DefaultLockoutTimeSpan;
                await db.Users.Where(u => u.Id == userId && u.AccessFailedCount >= max && u.LockoutEnd == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.LockoutEnd, until), cancellationToken);
                return until;
            }
            // The lock has ended: the count starts again (once: the first attempt to get here wins the UPDATE), then
            // this attempt tries for a slot again.
            var ended = row.LockoutEnd;
            await db.Users.Where(u => u.Id == userId && u.AccessFailedCount >= max && u.LockoutEnd == ended)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.AccessFailedCount, 0).SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null), cancellationToken);
        }
        // Lost the race twice to a lock being set and lifted: answer as briefly locked rather than loop.
        return clock.GetUtcNow() + TimeSpan.FromSeconds(1);
    }
}

/// <summary>One reserved (or refused) password attempt; see <see cref="FailedAttempts"/>.</summary>
public sealed record AttemptReservation(Guid UserId, AttemptTicket? Ip, bool InDatabase, DateTimeOffset? LockedUntil)
{
    /// <summary>True when the password may be verified.</summary>
    public bool Granted => LockedUntil is null;
}
