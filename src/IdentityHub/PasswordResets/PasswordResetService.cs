using System.Data.Common;
using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Passwords;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.PasswordResets;

/// <summary>
/// Forgotten-password resets, behind the page, the v1 API (and later an administrator's action and the CLI): send a
/// single-use link (<see cref="ResetLinkSender"/>), check a link (<see cref="ResetLinkCheck"/>), and reset with it
/// through the same steps as a change: the tenant's full policy with history (<see cref="NewPasswordCheck"/>) and one
/// transaction (<see cref="PasswordChangeCommit"/>) that consumes the link, ends every session and token, clears the
/// lockout, audits the reset and queues the password-changed email.
/// </summary>
public sealed partial class PasswordResetService(
    ResetLinkSender sender,
    ResetLinkCheck links,
    NewPasswordCheck newPasswords,
    PasswordChangeCommit commit,
    UserManager<HubUser> users,
    ILogger<PasswordResetService> logger)
{
    /// <summary>
    /// Sends a reset link when the email names an account with a local password. Succeeds the same way whether or not
    /// it does; fails only for a malformed email, an unknown tenant, throttling or a database failure.
    /// </summary>
    public async Task<HubResult> RequestAsync(PasswordResetRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            var sent = await sender.SendAsync(request, cancellationToken);
            if (sent.Succeeded)
            {
                LogRequested(logger, request.TenantId, sent.Value);
            }
            return sent;
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException)
        {
            LogDatabaseFailure(logger, exception);
            return HubResult.Failed(HubErrorCode.DatabaseFailure);
        }
    }

    /// <summary>Whether a link can be used now (for a page to say so before the new password is typed), and for which account.</summary>
    public async Task<HubResult<AccountToChange>> CheckLinkAsync(PasswordResetConfirmation confirmation, CancellationToken cancellationToken = default)
    {
        var link = await links.CheckAsync(confirmation, cancellationToken);
        return link.Succeeded ? link.Value.Account : HubResult<AccountToChange>.FailedLike(link);
    }

    /// <summary>Sets the new password with a link; the account is unchanged unless everything succeeds.</summary>
    public async Task<HubResult<HubUser>> ResetAsync(PasswordResetConfirmation confirmation, CancellationToken cancellationToken = default)
    {
        if (PasswordNormalizer.IsTooLong(confirmation.NewPassword))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.NewPassword, [PasswordNormalizer.TooLong]);
        }
        try
        {
            // A second attempt only after a concurrent change of the account committed first: the link is then checked
            // again against the new state (and is normally used or no longer valid).
            var result = await TryResetAsync(confirmation, cancellationToken) ?? await TryResetAsync(confirmation, cancellationToken);
            if (result is { Succeeded: true })
            {
                LogReset(logger, result.Value.Id, result.Value.TenantId);
            }
            return result ?? new HubError(HubErrorCode.ResetLinkInvalid, HubField.ResetToken, [ResetLinkReasons.Used]);
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException)
        {
            LogDatabaseFailure(logger, exception);
            return HubResult<HubUser>.Failed(HubErrorCode.DatabaseFailure);
        }
    }

    private async Task<HubResult<HubUser>?> TryResetAsync(PasswordResetConfirmation confirmation, CancellationToken cancellationToken)
    {
        var link = await links.CheckAsync(confirmation, cancellationToken);
        if (!link.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(link);
        }
        var (account, proof) = link.Value;
        bool sameAsCurrent;
        try
        {
            // An invitation's account has no password yet.
            sameAsCurrent = account.User.HasLocalPassword
                && users.PasswordHasher.VerifyHashedPassword(account.User, account.User.PasswordHash!, confirmation.NewPassword) != PasswordVerificationResult.Failed;
        }
        catch (PasswordHashingBusyException busy)
        {
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, busy.RetryAfter);
        }
        var next = await newPasswords.CheckAsync(account.User, account.Tenant, confirmation.NewPassword, sameAsCurrent, cancellationToken);
        if (!next.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(next);
        }
        var change = new PasswordChange(account.User.Id, account.User.TenantId, null, confirmation.NewPassword, confirmation.Origin)
        {
            Reset = proof,
            Locale = confirmation.Locale,
            PreferredLocales = confirmation.PreferredLocales,
            Issuer = confirmation.Issuer,
            AuthenticationMethods = ["email"],
            Dialect = confirmation.Dialect,
        };
        return ChangedPassword.AccountOf(await commit.CommitAsync(account, change, next.Value, cancellationToken));
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Password reset asked for in tenant {TenantId}; email sent: {Sent}")]
    private static partial void LogRequested(ILogger logger, Guid tenantId, bool sent);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Password reset for user {UserId} in tenant {TenantId}")]
    private static partial void LogReset(ILogger logger, Guid userId, Guid tenantId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Password reset failed in the database")]
    private static partial void LogDatabaseFailure(ILogger logger, Exception exception);
}
