using System.Data.Common;
using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;

namespace IdentityHub.Passwords;

/// <summary>
/// The one implementation of "change my own password" behind every dialect and page: verify the current password
/// (failures count toward lockout), apply the tenant's policy, rehash, rotate the security stamp, end every other
/// session (our sessions, OpenIddict authorizations and tokens) and audit, all in one transaction.
/// </summary>
public sealed partial class ChangePasswordService(
    UserManager<HubUser> users,
    FailedAttempts failures,
    DummyPasswordHash dummy,
    PasswordHashGate gate,
    PasswordPolicyService policy,
    PasswordHistory history,
    AccountPolicyService accountPolicies,
    TenantService tenants,
    LocaleResolver locales,
    PasswordChangedNotifier notifier,
    OutboxSignal outbox,
    SessionService sessions,
    AuditLog audit,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    IdentityHubDbContext db,
    TimeProvider clock,
    ILogger<ChangePasswordService> logger)
{
    // One retry is enough: a concurrency failure means another change committed in between, and the retry then
    // re-verifies the current password against the new hash (and normally reports it as wrong).
    private const int MaxAttempts = 2;

    /// <summary>Changes the password; expected failures come back as errors, never as exceptions.</summary>
    public async Task<HubResult> ChangeAsync(PasswordChange change, CancellationToken cancellationToken = default)
    {
        // An overlong password is a malformed request: refused before the account is even looked up, so it is never
        // normalised or hashed and a too-long current password does not count toward lockout.
        var tooLong = new List<HubError>();
        if (PasswordNormalizer.IsTooLong(change.CurrentPassword))
        {
            tooLong.Add(new HubError(HubErrorCode.InvalidRequest, "current_password", [PasswordNormalizer.TooLong]));
        }
        if (PasswordNormalizer.IsTooLong(change.NewPassword))
        {
            tooLong.Add(new HubError(HubErrorCode.InvalidRequest, "new_password", [PasswordNormalizer.TooLong]));
        }
        if (tooLong.Count > 0)
        {
            return HubResult.Failed([.. tooLong]);
        }

        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (result, conflicted) = await TryChangeAsync(change, cancellationToken);
                if (!conflicted)
                {
                    return result;
                }
                if (attempt >= MaxAttempts)
                {
                    LogConflict(logger, change.UserId);
                    return HubResult.Failed(HubErrorCode.InvalidCurrentPassword);
                }
                db.ChangeTracker.Clear();
            }
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException)
        {
            LogDatabaseFailure(logger, exception, change.UserId);
            db.ChangeTracker.Clear();
            return HubResult.Failed(HubErrorCode.DatabaseFailure);
        }
    }

    private async Task<(HubResult Result, bool Conflicted)> TryChangeAsync(PasswordChange change, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(change.UserId.ToString());
        if (user is null || user.TenantId != change.TenantId)
        {
            return (HubResult.Failed(HubErrorCode.UserNotFound), false);
        }

        // The tenant's policies are asked before anything else (before the password is even looked at).
        var tenant = await tenants.FindAsync(user.TenantId, cancellationToken);
        if (tenant is null)
        {
            return (HubResult.Failed(HubErrorCode.InvalidPrincipalDocument), false);
        }
        // One language for everything this change says: policy notices and the email.
        // At most a handful of the request's languages are considered, however many it sent.
        var culture = locales.Resolve([change.Locale, .. change.PreferredLocales.Take(LocaleResolver.MaxRequestedLocales), user.Locale, tenant.DefaultLocale, "en"]);
        var decision = await accountPolicies.AuthorizeChangePasswordAsync(user, tenant, change, culture);
        if (!decision.Allowed)
        {
            return (HubResult.Failed(new HubError(HubErrorCode.ForbiddenByPolicy) { Notices = decision.Notices }), false);
        }
        if (!user.HasLocalPassword)
        {
            return (HubResult.Failed(HubErrorCode.NotLocalUser), false);
        }
        if (failures.IsLockedOut(user))
        {
            if (change.StepUp is null)
            {
                await RefuseLockedAsync(user, change, cancellationToken);
            }
            return (LockedOut(user.LockoutEnd!.Value), false);
        }

        var errors = new List<HubError>();
        var violations = new List<string>();
        if (change.StepUp is { } stepUp)
        {
            // The step-up token proves presence instead of the current password. It must come from the same user, the
            // same sign-in session and the same client as the access token, and must not have been used before.
            if (stepUp.UserId != user.Id || stepUp.SessionId != change.Origin.SessionId || stepUp.ClientId != change.Origin.ClientId)
            {
                return (HubResult.Failed(HubErrorCode.StepUpMismatch), false);
            }
            if (await IsConsumedAsync(stepUp, cancellationToken))
            {
                return (HubResult.Failed(HubErrorCode.StepUpInvalid), false);
            }
            // Without the current password in hand, "same as current" costs one verification of the new one.
            var same = VerifyOrFail(user, change.NewPassword, out var failure);
            if (failure is not null)
            {
                return (failure, false);
            }
            if (same)
            {
                violations.Add(PasswordRuleCodes.SameAsCurrent);
            }
        }
        else
        {
            // Verify the current password before anything is said about the new one, and count a wrong answer
            // toward lockout exactly like a failed sign-in: an attempt is reserved first (per IP and account-wide),
            // so parallel wrong guesses cannot all be verified before the lock. A full hash gate refuses first, so
            // that a refused request costs no database write.
            if (!gate.HasRoom)
            {
                return (Busy(new PasswordHashingBusyException(PasswordHashGate.RetryAfter)), false);
            }
            using var turn = await failures.TakeTurnAsync(user.Id, cancellationToken);
            var reservation = await failures.ReserveAsync(user, change.Origin.IpAddress, cancellationToken);
            if (!reservation.Granted)
            {
                await RefuseLockedAsync(user, change, cancellationToken);
                return (LockedOut(reservation.LockedUntil!.Value), false);
            }
            var verified = VerifyOrFail(user, change.CurrentPassword ?? "", out var failure);
            if (failure is not null)
            {
                // Nothing was verified (busy hasher, unreadable hash): the attempt does not count.
                await failures.ReleaseAsync(reservation, CancellationToken.None);
                return (failure, false);
            }
            if (!verified)
            {
                var lockedUntil = await failures.FailedAsync(reservation, CancellationToken.None);
                await audit.RecordAsync(AuditEventTypes.CurrentPasswordFailed, user.TenantId, user.Id, change.Origin, CancellationToken.None);
                if (lockedUntil is not null)
                {
                    return (LockedOut(lockedUntil.Value), false);
                }
                errors.Add(new HubError(HubErrorCode.InvalidCurrentPassword, "current_password"));
            }
            else
            {
                await failures.SucceededAsync(reservation, CancellationToken.None);
            }
            if (verified && PasswordNormalizer.Normalize(change.NewPassword) == PasswordNormalizer.Normalize(change.CurrentPassword!))
            {
                violations.Add(PasswordRuleCodes.SameAsCurrent);
            }
        }

        // Rules that depend on nothing stored (length, composition, common passwords, user info) are reported even
        // beside a wrong current password: they say nothing about the account's secrets.
        var (policyViolations, resolvedPolicy) = policy.Check(user, tenant, change.NewPassword);
        violations.AddRange(policyViolations);

        // Only a caller who proved presence (the right current password, or a step-up token) learns anything derived
        // from the stored secrets: with a wrong current password, reused_password would tell a token holder whether a
        // guess is the current or an earlier password. So the history is neither fingerprinted (no extra slow hash
        // for a wrong guess) nor consulted, and the answer is the wrong-password error plus the rules above.
        var presenceProven = errors.Count == 0;

        // The new password's hash and its history fingerprint are independent slow hashes: they run side by side,
        // so a change waits for about two hashes (verification, then these two together), not three. The hash is
        // only computed when nothing is wrong so far.
        var fingerprintTask = presenceProven
            ? Task.Run(() => history.Fingerprint(user.Id, change.NewPassword), cancellationToken)
            : null;
        var hashTask = presenceProven && violations.Count == 0
            ? Task.Run(() => users.PasswordHasher.HashPassword(user, change.NewPassword), cancellationToken)
            : null;
        string? fingerprint = null;
        string? newHash = null;
        try
        {
            if (fingerprintTask is not null)
            {
                fingerprint = await fingerprintTask;
            }
            if (hashTask is not null)
            {
                newHash = await hashTask;
            }
        }
        catch (PasswordHashingBusyException busy)
        {
            return (Busy(busy), false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHashFailure(logger, exception, user.Id);
            return (HubResult.Failed(HubErrorCode.HashFailure), false);
        }

        if (fingerprint is not null && resolvedPolicy.HistoryDepth > 0 && !violations.Contains(PasswordRuleCodes.SameAsCurrent) &&
            await history.WasUsedAsync(user.Id, fingerprint, resolvedPolicy.HistoryDepth, cancellationToken))
        {
            violations.Add(PasswordRuleCodes.ReusedPassword);
        }
        if (violations.Count > 0)
        {
            violations.Sort((a, b) => RuleOrder(a).CompareTo(RuleOrder(b)));
            errors.Add(new HubError(HubErrorCode.WeakPassword, "new_password", violations));
        }
        if (errors.Count > 0 || newHash is null || fingerprint is null)
        {
            return (HubResult.Failed([.. errors]), false);
        }

        // Rendered before the transaction, written inside it: the change and its email commit or roll back together.
        var notification = await notifier.PrepareAsync(user, tenant, change, culture, clock.GetUtcNow(), cancellationToken);

        // The expensive hashing is done; now a short write transaction. SQLite's BEGIN IMMEDIATE (the provider's
        // default) serialises concurrent writers, and Identity's concurrency stamp detects a change that committed
        // after we read the user.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (user.AccessFailedCount > 0)
        {
            user.AccessFailedCount = 0;
        }
        user.PasswordHash = newHash;
        await history.AddAsync(user.Id, fingerprint, now, cancellationToken);
        user.PasswordChangedAt = now;
        user.UpdatedAt = now;
        audit.Add(AuditEventTypes.PasswordChanged, user.TenantId, user.Id, change.Origin);
        db.Outbox.Add(notification);
        if (change.StepUp is { } consumed)
        {
            // Inside the write transaction (BEGIN IMMEDIATE serialises writers), so two concurrent changes with one
            // step-up token cannot both pass this check.
            if (await IsConsumedAsync(consumed, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                return (HubResult.Failed(HubErrorCode.StepUpInvalid), false);
            }
            db.ConsumedStepUpTokens.Add(new ConsumedStepUpToken
            {
                TokenId = consumed.TokenId, UserId = user.Id, ConsumedAt = now, ExpiresAt = consumed.ExpiresAt.UtcDateTime,
            });
        }

        // Rotating the stamp also saves the user (hash, stamp and audit row in one SaveChanges). It ends every session
        // started under the old stamp, including a sign-in still in flight that verified the old password and writes
        // its session after this commits; the sessions this change keeps move to the new stamp below.
        var previousStamp = user.SecurityStamp;
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            if (saved.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            {
                return (HubResult.Failed(HubErrorCode.InvalidCurrentPassword), true);
            }
            throw new InvalidOperationException($"Updating the user failed: {string.Join(", ", saved.Errors.Select(e => e.Code))}");
        }

        // Sessions that survive the change carry the new stamp, in this transaction: the current one ("sign out my
        // other sessions"), or all of them when nothing is to be revoked.
        if (change.Revoke != SessionRevocation.All)
        {
            var only = change.Revoke == SessionRevocation.AllButCurrent ? change.Origin.SessionId : null;
            if (change.Revoke == SessionRevocation.None || only is not null)
            {
                await sessions.KeepAcrossStampChangeAsync(user.Id, previousStamp, user.SecurityStamp, only, cancellationToken);
            }
        }

        // End every other session: our own sessions (checked wherever a token is accepted) and OpenIddict's
        // authorizations and tokens (refresh tokens, stored access tokens).
        if (change.Revoke != SessionRevocation.None)
        {
            var subject = user.Id.ToString();
            await sessions.RevokeAllAsync(user.Id, change.Revoke == SessionRevocation.AllButCurrent ? change.Origin.SessionId : null, cancellationToken);
            await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
            await tokens.RevokeBySubjectAsync(subject, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();

        LogPasswordChanged(logger, user.Id, user.TenantId, change.Origin.ClientId);
        return (HubResult.Success, false);
    }

    private static int RuleOrder(string code)
    {
        for (var i = 0; i < PasswordRuleCodes.All.Count; i++)
        {
            if (PasswordRuleCodes.All[i] == code)
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    private Task<bool> IsConsumedAsync(StepUpProof proof, CancellationToken cancellationToken) =>
        db.ConsumedStepUpTokens.AsNoTracking().AnyAsync(t => t.TokenId == proof.TokenId, cancellationToken);

    /// <summary>Verifies a password against the user's hash; a throwing hasher becomes HASH_FAILURE, never a 500 of unknown cause.</summary>
    private bool VerifyOrFail(HubUser user, string password, out HubResult? failure)
    {
        try
        {
            failure = null;
            return users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash!, password) != PasswordVerificationResult.Failed;
        }
        catch (PasswordHashingBusyException busy)
        {
            failure = Busy(busy);
            return false;
        }
        catch (FormatException exception)
        {
            // The stored hash itself is corrupt (not base64): the account record is broken, not the hasher.
            LogCorruptHash(logger, exception, user.Id);
            failure = HubResult.Failed(HubErrorCode.InvalidPrincipalDocument);
            return false;
        }
        catch (Exception exception) when (exception is not (DbException or DbUpdateException or OperationCanceledException))
        {
            LogHashFailure(logger, exception, user.Id);
            failure = HubResult.Failed(HubErrorCode.HashFailure);
            return false;
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

    private static HubResult Busy(PasswordHashingBusyException busy) => HubResult.Failed(new HubError(HubErrorCode.ServiceBusy)
    {
        RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds)),
    });

    private HubResult LockedOut(DateTimeOffset lockedUntil)
    {
        var remaining = lockedUntil - clock.GetUtcNow();
        return HubResult.Failed(new HubError(HubErrorCode.TooManyAttempts)
        {
            RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds)),
        });
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Password changed for user {UserId} in tenant {TenantId} via client {ClientId}")]
    private static partial void LogPasswordChanged(ILogger logger, Guid userId, Guid tenantId, string? clientId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Password change for user {UserId} lost a concurrency race twice")]
    private static partial void LogConflict(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Password change for user {UserId} failed in the database")]
    private static partial void LogDatabaseFailure(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "The stored password hash of user {UserId} is corrupt")]
    private static partial void LogCorruptHash(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Password hashing failed for user {UserId}")]
    private static partial void LogHashFailure(ILogger logger, Exception exception, Guid userId);
}
