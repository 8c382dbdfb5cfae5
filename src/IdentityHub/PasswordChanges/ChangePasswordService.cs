using System.Data.Common;
using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// The one implementation of "change my own password" behind every dialect and page, told as its steps: find the
/// account and ask the tenant's policies (<see cref="AccountLookup"/>), <see cref="PresenceCheck">prove presence</see> (the current password or a
/// step-up token), <see cref="NewPasswordCheck">check the new password</see>, then
/// <see cref="PasswordChangeCommit">commit</see> everything in one transaction.
/// </summary>
public sealed partial class ChangePasswordService(
    AccountLookup accounts,
    PresenceCheck presence,
    NewPasswordCheck newPasswords,
    PasswordChangeCommit commit,
    IdentityHubMetrics metrics,
    ILogger<ChangePasswordService> logger)
{
    // One retry is enough: a lost race means another change committed in between, and the retry then re-verifies
    // the current password against the new hash (and normally reports it as wrong).
    private const int MaxAttempts = 2;

    /// <summary>Changes the password and returns the changed account with its receipt's id; expected failures come back as errors, never as exceptions.</summary>
    public async Task<HubResult<ChangedPassword>> ChangeAsync(PasswordChange change, CancellationToken cancellationToken = default)
    {
        var result = await ChangeOnceOrRetryAsync(change, cancellationToken);
        metrics.PasswordChanged(change.Dialect, result);
        if (result.Succeeded && change.StepUp is not null)
        {
            metrics.StepUpTokenConsumed();
        }
        return result;
    }

    private async Task<HubResult<ChangedPassword>> ChangeOnceOrRetryAsync(PasswordChange change, CancellationToken cancellationToken)
    {
        if (RefuseOverlong(change) is { } overlong)
        {
            return overlong;
        }
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await TryChangeAsync(change, cancellationToken) is { } result)
                {
                    return result;
                }
                if (attempt >= MaxAttempts)
                {
                    LogConflict(logger, change.UserId);
                    return HubResult<ChangedPassword>.Failed(HubErrorCode.InvalidCurrentPassword);
                }
            }
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException)
        {
            LogDatabaseFailure(logger, exception, change.UserId);
            return HubResult<ChangedPassword>.Failed(HubErrorCode.DatabaseFailure);
        }
    }

    /// <summary>One attempt; null when a concurrent change committed first and the attempt should start again.</summary>
    private async Task<HubResult<ChangedPassword>?> TryChangeAsync(PasswordChange change, CancellationToken cancellationToken)
    {
        var found = await accounts.FindAsync(change, cancellationToken);
        if (!found.Succeeded)
        {
            return HubResult<ChangedPassword>.FailedLike(found);
        }
        var account = found.Value;

        var proof = await presence.ProveAsync(account.User, change, cancellationToken);
        if (!proof.Succeeded)
        {
            return HubResult<ChangedPassword>.FailedLike(proof);
        }
        if (!proof.Value.Proven)
        {
            // Only a caller who proved presence learns anything derived from the stored secrets (history, same as
            // current); the rules that depend on nothing stored are reported beside the wrong password.
            var rules = newPasswords.CheckRules(account.User, account.Tenant, change.NewPassword);
            return HubResult<ChangedPassword>.Failed([new HubError(HubErrorCode.InvalidCurrentPassword, HubField.CurrentPassword), .. rules.Errors]);
        }

        var next = await newPasswords.CheckAsync(account.User, account.Tenant, change.NewPassword, proof.Value.SameAsCurrent, cancellationToken);
        if (!next.Succeeded)
        {
            return HubResult<ChangedPassword>.FailedLike(next);
        }

        var committed = await commit.CommitAsync(account, change, next.Value, cancellationToken);
        if (committed is { Succeeded: true })
        {
            LogPasswordChanged(logger, account.User.Id, account.User.TenantId, change.Origin.ClientId);
        }
        return committed;
    }

    /// <summary>
    /// An overlong password is a malformed request: refused before the account is even looked up, so it is never
    /// normalised or hashed, and a too-long current password does not count toward lockout.
    /// </summary>
    private static HubResult<ChangedPassword>? RefuseOverlong(PasswordChange change)
    {
        var errors = new List<HubError>();
        if (PasswordNormalizer.IsTooLong(change.CurrentPassword))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.CurrentPassword, [PasswordNormalizer.TooLong]));
        }
        if (PasswordNormalizer.IsTooLong(change.NewPassword))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.NewPassword, [PasswordNormalizer.TooLong]));
        }
        return errors.Count > 0 ? HubResult<ChangedPassword>.Failed([.. errors]) : null;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Password changed for user {UserId} in tenant {TenantId} via client {ClientId}")]
    private static partial void LogPasswordChanged(ILogger logger, Guid userId, Guid tenantId, string? clientId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Password change for user {UserId} lost a concurrency race twice")]
    private static partial void LogConflict(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Password change for user {UserId} failed in the database")]
    private static partial void LogDatabaseFailure(ILogger logger, Exception exception, Guid userId);
}
