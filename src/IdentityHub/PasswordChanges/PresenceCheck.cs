using System.Data.Common;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.StepUp;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// The first step of a change: the caller proves presence, with the current password (a wrong one counts toward
/// lockout exactly like a failed sign-in) or with a step-up token of the same user, session and client.
/// </summary>
public sealed partial class PresenceCheck(
    UserManager<HubUser> users,
    FailedAttempts failures,
    PasswordHashGate gate,
    DummyPasswordHash dummy,
    AuditLog audit,
    IdentityHubDbContext db,
    TimeProvider clock,
    ILogger<PresenceCheck> logger)
{
    /// <summary>
    /// Proves presence for a change of <paramref name="user"/>'s password. A wrong current password is not a failure
    /// of this step (the change still reports the rules the new password breaks) but <see cref="Presence.WrongPassword"/>;
    /// a lockout, a busy hasher or an unusable step-up token ends the change.
    /// </summary>
    public async Task<HubResult<Presence>> ProveAsync(HubUser user, PasswordChange change, CancellationToken cancellationToken)
    {
        if (failures.IsLockedOut(user))
        {
            if (change.StepUp is null)
            {
                await RefuseLockedAsync(user, change, cancellationToken);
            }
            return LockedOut(user.LockoutEnd!.Value);
        }
        return change.StepUp is { } stepUp
            ? await ProveWithStepUpAsync(user, change, stepUp, cancellationToken)
            : await ProveWithPasswordAsync(user, change, cancellationToken);
    }

    /// <summary>
    /// The step-up token proves presence instead of the current password. It must come from the same user, the same
    /// sign-in session and the same client as the access token, and must not have been used before.
    /// </summary>
    private async Task<HubResult<Presence>> ProveWithStepUpAsync(HubUser user, PasswordChange change, StepUpProof stepUp, CancellationToken cancellationToken)
    {
        if (stepUp.UserId != user.Id || stepUp.SessionId != change.Origin.SessionId || stepUp.ClientId != change.Origin.ClientId)
        {
            return HubResult<Presence>.Failed(HubErrorCode.StepUpMismatch);
        }
        if (await db.IsStepUpTokenConsumedAsync(stepUp.TokenId, cancellationToken))
        {
            return HubResult<Presence>.Failed(HubErrorCode.StepUpInvalid);
        }
        // Without the current password in hand, "same as current" costs one verification of the new one.
        var same = Verify(user, change.NewPassword);
        return same.Succeeded ? new Presence(true, same.Value) : HubResult<Presence>.FailedLike(same);
    }

    /// <summary>
    /// Verifies the current password before anything is said about the new one. An attempt is reserved first (per IP
    /// and account-wide), so parallel wrong guesses cannot all be verified before the lock; a full hash gate refuses
    /// even earlier, so that a refused request costs no database write.
    /// </summary>
    private async Task<HubResult<Presence>> ProveWithPasswordAsync(HubUser user, PasswordChange change, CancellationToken cancellationToken)
    {
        if (!gate.HasRoom)
        {
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, PasswordHashGate.RetryAfter);
        }
        using var turn = await failures.TakeTurnAsync(user.Id, cancellationToken);
        var reservation = await failures.ReserveAsync(user, change.Origin.IpAddress, cancellationToken);
        if (!reservation.Granted)
        {
            await RefuseLockedAsync(user, change, cancellationToken);
            return LockedOut(reservation.LockedUntil!.Value);
        }
        var verified = Verify(user, change.CurrentPassword ?? "");
        if (!verified.Succeeded)
        {
            // Nothing was verified (busy hasher, unreadable hash): the attempt does not count.
            await failures.ReleaseAsync(reservation, CancellationToken.None);
            return HubResult<Presence>.FailedLike(verified);
        }
        if (!verified.Value)
        {
            var lockedUntil = await failures.FailedAsync(reservation, CancellationToken.None);
            await audit.RecordAsync(AuditEventTypes.CurrentPasswordFailed, user.TenantId, user.Id, change.Origin, CancellationToken.None);
            return lockedUntil is null ? Presence.WrongPassword : LockedOut(lockedUntil.Value);
        }
        await failures.SucceededAsync(reservation, CancellationToken.None);
        return new Presence(true, PasswordNormalizer.Normalize(change.NewPassword) == PasswordNormalizer.Normalize(change.CurrentPassword!));
    }

    /// <summary>Verifies a password against the user's hash; a throwing hasher becomes HASH_FAILURE, never a 500 of unknown cause.</summary>
    private HubResult<bool> Verify(HubUser user, string password)
    {
        try
        {
            return users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash!, password) != PasswordVerificationResult.Failed;
        }
        catch (PasswordHashingBusyException busy)
        {
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, busy.RetryAfter);
        }
        catch (FormatException exception)
        {
            // The stored hash itself is corrupt (not base64): the account record is broken, not the hasher.
            LogCorruptHash(logger, exception, user.Id);
            return HubResult<bool>.Failed(HubErrorCode.InvalidPrincipalDocument);
        }
        catch (Exception exception) when (exception is not (DbException or DbUpdateException or OperationCanceledException))
        {
            LogHashFailure(logger, exception, user.Id);
            return HubResult<bool>.Failed(HubErrorCode.HashFailure);
        }
    }

    /// <summary>
    /// A current password not even checked because of a lockout: audited like a wrong one, and it costs the same one
    /// verification (against the dummy hash) so that the answer's timing matches a wrong password's.
    /// </summary>
    private async Task RefuseLockedAsync(HubUser user, PasswordChange change, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(AuditEventTypes.CurrentPasswordFailed, user.TenantId, user.Id, change.Origin, cancellationToken);
        try
        {
            dummy.Verify(change.CurrentPassword);
        }
        catch (PasswordHashingBusyException)
        {
            // The answer is "locked" either way; a refused dummy verification only saves the work.
        }
    }

    private HubError LockedOut(DateTimeOffset lockedUntil) => HubError.RetryAfter(HubErrorCode.TooManyAttempts, lockedUntil - clock.GetUtcNow());

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "The stored password hash of user {UserId} is corrupt")]
    private static partial void LogCorruptHash(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Password hashing failed for user {UserId}")]
    private static partial void LogHashFailure(ILogger logger, Exception exception, Guid userId);
}
