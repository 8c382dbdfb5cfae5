using System.Data.Common;
using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Invitations;
using IdentityHub.Notifications;
using IdentityHub.PasswordChanges;
using IdentityHub.PasswordResets;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Administration;

/// <summary>
/// Passwords an administrator sets: an initial one at creation, or a new one in place of the current, each through
/// the tenant's full policy (<see cref="NewPasswordCheck"/>: rules, history, the same hash); a new one is committed like
/// any change (<see cref="PasswordChangeCommit"/>: history, audit, the password-changed email, every session ended);
/// or a link emailed for the person to choose one.
/// </summary>
public sealed class AdminPasswords(
    NewPasswordCheck newPasswords, PasswordChangeCommit commit, UserManager<HubUser> users, PasswordHistory history,
    InvitationService invitations, PasswordResetService resets)
{
    /// <summary>Emails the person a link to set a password: the invitation of an account without one, else a reset link.</summary>
    public Task<HubResult> SendLinkAsync(HubUser user, Audit.RequestOrigin origin, Uri? issuer, CancellationToken cancellationToken) =>
        user.HasLocalPassword
            ? resets.RequestAsync(new PasswordResetRequest(user.TenantId, user.Email!, origin) { Issuer = issuer, Locale = user.Locale }, cancellationToken)
            : invitations.InviteAsync(user, new EmailLinkContext(origin) { Issuer = issuer, Locale = user.Locale }, cancellationToken);

    /// <summary>Checks an initial password for a new account and puts its hash on it (the caller saves the account).</summary>
    public async Task<HubResult> SetInitialAsync(HubUser user, Tenant tenant, string password, DateTime now, CancellationToken cancellationToken)
    {
        if (PasswordNormalizer.IsTooLong(password))
        {
            return HubResult.Failed(new HubError(HubErrorCode.InvalidRequest, HubField.Password, [PasswordNormalizer.TooLong]));
        }
        var next = await newPasswords.CheckAsync(user, tenant, password, sameAsCurrent: false, cancellationToken);
        if (!next.Succeeded)
        {
            return next;
        }
        user.PasswordHash = next.Value.Hash;
        user.PasswordChangedAt = now;
        await history.AddAsync(user.Id, next.Value.Fingerprint, now, cancellationToken);
        return HubResult.Success;
    }

    /// <summary>Replaces the password of an account; the account is unchanged unless everything succeeds.</summary>
    public async Task<HubResult<HubUser>> ReplaceAsync(AccountToChange account, string password, Audit.RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (PasswordNormalizer.IsTooLong(password))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Password, [PasswordNormalizer.TooLong]);
        }
        var user = account.User;
        bool sameAsCurrent;
        try
        {
            sameAsCurrent = user.HasLocalPassword && users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash!, password) != PasswordVerificationResult.Failed;
        }
        catch (PasswordHashingBusyException busy)
        {
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, busy.RetryAfter);
        }
        var next = await newPasswords.CheckAsync(user, account.Tenant, password, sameAsCurrent, cancellationToken);
        if (!next.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(next);
        }
        var change = new PasswordChange(user.Id, user.TenantId, null, password, origin)
        {
            AuthenticationMethods = [], Dialect = "admin", Initiator = PasswordChangeInitiators.Admin,
        };
        try
        {
            // A concurrent change of the account committed first (null): the administrator's password is refused
            // rather than silently overwriting it; asking again applies it.
            return ChangedPassword.AccountOf(await commit.CommitAsync(account, change, next.Value, cancellationToken)) ?? HubResult<HubUser>.Failed(HubErrorCode.DatabaseFailure);
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException)
        {
            return HubResult<HubUser>.Failed(HubErrorCode.DatabaseFailure);
        }
    }
}
