using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.PasswordResets;
using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// The last step of a change, one short write transaction: the new hash, the history entry, the audit row, the
/// notification and the Shared Signals events in the outbox, the step-up token or reset link consumed, the security
/// stamp rotated and every other session ended, and the receipt of all that (<see cref="PasswordChangeReceipt"/>, whose
/// id the email, every logout token and every SET carry). They commit or roll back together.
/// </summary>
public sealed class PasswordChangeCommit(
    IdentityHubDbContext db,
    UserManager<HubUser> users,
    PasswordHistory history,
    AuditLog audit,
    PasswordChangeNotices notices,
    AccountSignOut signOut,
    TimeProvider clock)
{
    /// <summary>
    /// Commits the change and returns the account with its receipt's id; null when a concurrent change committed after
    /// the account was read (start again).
    /// </summary>
    public async Task<HubResult<ChangedPassword>?> CommitAsync(AccountToChange account, PasswordChange change, NewPassword next, CancellationToken cancellationToken)
    {
        var user = account.User;
        // Rendered before the transaction, written inside it: the change and its email commit or roll back together.
        var notification = await notices.Email.PrepareAsync(user, account.Tenant, change, account.Culture, clock.GetUtcNow(), cancellationToken);
        var receiptId = Guid.CreateVersion7(clock.GetUtcNow());
        notification.ReceiptId = receiptId;

        // SQLite's BEGIN IMMEDIATE (the provider's default) serialises concurrent writers. PostgreSQL runs READ COMMITTED:
        // there the user's row is written first, which takes its row lock, so a concurrent change of the same account
        // waits for this one, then fails Identity's concurrency stamp (and starts again) before it reads or writes
        // anything else, such as the consumed step-up token below.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        user.AccessFailedCount = 0;
        user.PasswordHash = next.Hash;
        user.PasswordChangedAt = now;
        user.UpdatedAt = now;
        // An administrator's "change your password" (or an invitation) is satisfied by any new password.
        user.PasswordChangeRequired = false;
        ApplyReset(user, change);

        // Rotating the stamp saves the user. It ends every session started under the old stamp, including a sign-in
        // still in flight that verified the old password and writes its session after this commits.
        var previousStamp = user.SecurityStamp;
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            if (saved.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            {
                db.ChangeTracker.Clear();
                return null;
            }
            throw new InvalidOperationException($"Updating the user failed: {string.Join(", ", saved.Errors.Select(e => e.Code))}");
        }
        if (await UseProofAsync(user, change, now, cancellationToken) is { } used)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear(); // the user saved above was rolled back with it
            return HubResult<ChangedPassword>.Failed(used);
        }
        await history.AddAsync(user.Id, next.Fingerprint, now, cancellationToken);
        audit.Add(change.Reset is null ? AuditEventTypes.PasswordChanged : AuditEventTypes.PasswordReset, user.TenantId, user.Id, change.Origin);
        db.Outbox.Add(notification);
        await notices.Signals.QueueCredentialChangeAsync(user, change, now, receiptId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var ended = await signOut.AfterPasswordChangeAsync(user, previousStamp, change.Revoke, change.Origin.SessionId, receiptId, cancellationToken);
        db.PasswordChangeReceipts.Add(Receipt(receiptId, user, change, now, ended));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        notices.Outbox.Notify();
        return new ChangedPassword(user, receiptId);
    }

    /// <summary>
    /// A reset is how a locked-out owner gets back in: the account-wide lock ends with it. An administrator's lock is
    /// not the owner's to lift: it stays until an administrator unlocks the account.
    /// </summary>
    private void ApplyReset(HubUser user, PasswordChange change)
    {
        if (change.Reset is null || user.IsLockedByAdministrator)
        {
            return;
        }
        user.LockoutEnd = null;
        if (!user.EmailConfirmed)
        {
            // The link came by email (a reset or an invitation): its user proved they read that mailbox.
            user.EmailConfirmed = true;
            audit.Add(AuditEventTypes.EmailVerified, user.TenantId, user.Id, change.Origin);
        }
    }

    private static PasswordChangeReceipt Receipt(Guid id, HubUser user, PasswordChange change, DateTime now, SignOutCounts ended) => new()
    {
        Id = id,
        TenantId = user.TenantId,
        UserId = user.Id,
        ChangedAt = now,
        Initiator = change.Reset is not null ? PasswordChangeInitiators.Reset : change.Initiator,
        Channel = change.Dialect,
        SessionsEnded = ended.Sessions,
        AuthorizationsRevoked = ended.Authorizations,
        TokensRevoked = ended.Tokens,
    };

    /// <summary>
    /// Uses the change's single-use proof, a reset link's ticket or a step-up token, inside the write transaction and
    /// after the user's row, so that of two racing uses one wins; the error when it was used already.
    /// </summary>
    private async Task<HubError?> UseProofAsync(HubUser user, PasswordChange change, DateTime now, CancellationToken cancellationToken)
    {
        if (change.Reset is { } reset && !await db.TryUsePasswordResetTicketAsync(reset.TicketKey, reset.RequestId, now, cancellationToken))
        {
            return new HubError(HubErrorCode.ResetLinkInvalid, HubField.ResetToken, [ResetLinkReasons.Used]);
        }
        if (change.StepUp is { } stepUp)
        {
            if (await db.IsStepUpTokenConsumedAsync(stepUp.TokenId, cancellationToken))
            {
                return new HubError(HubErrorCode.StepUpInvalid);
            }
            db.ConsumedStepUpTokens.Add(new ConsumedStepUpToken
            {
                TokenId = stepUp.TokenId, UserId = user.Id, ConsumedAt = now, ExpiresAt = stepUp.ExpiresAt.UtcDateTime,
            });
        }
        return null;
    }
}
