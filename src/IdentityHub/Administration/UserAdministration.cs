using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Persistence;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Administration;

/// <summary>
/// Administers accounts, for the admin API and the command line alike: create (with an initial password, or by
/// invitation), read, list and search, lock and unlock, disable and enable, delete, require a new password, send a
/// reset email or set a password, end every session, read the audit events. Each change is first decided by the
/// tenant's Cedar policies (<c>Action::"AdminUpdateUser"</c>, <c>Action::"RevokeSession"</c>, the actor as principal)
/// and audited with the acting client (<see cref="AdminUserOperations"/>). Accounts outside the actor's tenant are
/// not found, exactly like accounts that do not exist.
/// </summary>
public sealed class UserAdministration(
    UserManager<HubUser> users,
    UserDirectory directory,
    AccountSignOut signOut,
    AuditLog audit,
    IdentityHubDbContext db,
    AccountCreation creation,
    AdminPasswords passwords,
    TimeProvider clock)
{
    /// <summary>The account, when the actor may see it.</summary>
    public async Task<HubResult<HubUser>> FindAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default)
    {
        var found = await directory.FindUserAsync(actor, tenantId, userId, cancellationToken);
        return found.Succeeded ? found.Value.User : HubResult<HubUser>.FailedLike(found);
    }

    /// <summary>The id of the tenant's account with this email, or null (the command line names accounts by email too).</summary>
    public Task<Guid?> FindIdByEmailAsync(AdminActor actor, Guid tenantId, string email, CancellationToken cancellationToken = default) =>
        directory.FindIdByEmailAsync(actor, tenantId, email, cancellationToken);

    /// <summary>A page of the tenant's accounts, optionally searched by email.</summary>
    public Task<HubResult<Paged<HubUser>>> ListAsync(AdminActor actor, Guid tenantId, UserQuery query, CancellationToken cancellationToken = default) =>
        directory.ListAsync(actor, tenantId, query, cancellationToken);

    /// <summary>A page of the account's audit events, newest first.</summary>
    public Task<HubResult<Paged<AuditEvent>>> AuditEventsAsync(AdminActor actor, Guid tenantId, Guid userId, int page, int size, CancellationToken cancellationToken = default) =>
        directory.AuditEventsAsync(actor, tenantId, userId, page, size, cancellationToken);

    /// <summary>A page of the account's password-change receipts, newest first.</summary>
    public Task<HubResult<Paged<PasswordChangeReceiptView>>> PasswordChangesAsync(AdminActor actor, Guid tenantId, Guid userId, int page, int size,
        CancellationToken cancellationToken = default) =>
        directory.PasswordChangesAsync(actor, tenantId, userId, page, size, cancellationToken);

    /// <summary>One of the account's password-change receipts.</summary>
    public Task<HubResult<PasswordChangeReceiptView>> PasswordChangeAsync(AdminActor actor, Guid tenantId, Guid userId, Guid id, CancellationToken cancellationToken = default) =>
        directory.PasswordChangeAsync(actor, tenantId, userId, id, cancellationToken);

    /// <summary>
    /// Creates an account with an initial password through the tenant's full policy, or (<see cref="NewUser.Invite"/>)
    /// without one, and emails the person a link to set it. <paramref name="issuer"/> is the server's URL, for the link.
    /// </summary>
    public Task<HubResult<HubUser>> CreateAsync(AdminActor actor, Guid tenantId, NewUser input, Uri? issuer, CancellationToken cancellationToken = default) =>
        creation.CreateAsync(actor, tenantId, input, issuer, cancellationToken);

    /// <summary>
    /// Locks the account until unlocked (Identity's lockout): no sign-in, and every session and token ends at once,
    /// with its relying parties told (back-channel logout). A lock after failed attempts keeps the sessions: a
    /// stranger's wrong passwords must not sign the owner out; an administrator's lock is meant to.
    /// </summary>
    public Task<HubResult<HubUser>> LockAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, tenantId, userId, AdminUserOperations.Lock, async user =>
        {
            user.LockoutEnabled = true;
            user.LockoutEnd = HubUser.AdministratorLockEnd;
            await EndSessionsAsync(user, cancellationToken);
            return HubResult.Success;
        }, cancellationToken);

    /// <summary>Ends a lock (an administrator's or one after failed attempts) and clears the account's failure count.</summary>
    public Task<HubResult<HubUser>> UnlockAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, tenantId, userId, AdminUserOperations.Unlock, user =>
        {
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            return Task.FromResult(HubResult.Success);
        }, cancellationToken);

    /// <summary>Disables the account: no sign-in by any grant or page, and every session and token ends at once.</summary>
    public Task<HubResult<HubUser>> DisableAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, tenantId, userId, AdminUserOperations.Disable, async user =>
        {
            user.DisabledAt ??= Now;
            await EndSessionsAsync(user, cancellationToken);
            return HubResult.Success;
        }, cancellationToken);

    /// <summary>Enables a disabled account (its ended sessions stay ended).</summary>
    public Task<HubResult<HubUser>> EnableAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, tenantId, userId, AdminUserOperations.Enable, user =>
        {
            user.DisabledAt = null;
            return Task.FromResult(HubResult.Success);
        }, cancellationToken);

    /// <summary>
    /// Requires a new password before anything else: the next sign-in leads to the change page, the password grant is
    /// refused, and every session ends now, so no token of the old password outlives the request.
    /// </summary>
    public Task<HubResult<HubUser>> RequirePasswordChangeAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, tenantId, userId, AdminUserOperations.RequirePasswordChange, async user =>
        {
            if (!user.HasLocalPassword)
            {
                return HubResult.Failed(HubErrorCode.NotLocalUser);
            }
            user.PasswordChangeRequired = true;
            await EndSessionsAsync(user, cancellationToken);
            return HubResult.Success;
        }, cancellationToken);

    /// <summary>Ends every session and token of the account (introspection inactive, refresh refused at once).</summary>
    public Task<HubResult<HubUser>> RevokeSessionsAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, tenantId, userId, AdminUserOperations.RevokeSessions, async user =>
        {
            await EndSessionsAsync(user, cancellationToken);
            return HubResult.Success;
        }, cancellationToken, AccountPolicyService.RevokeSessionAction);

    /// <summary>Deletes the account after ending its sessions and tokens; its audit events are kept.</summary>
    public async Task<HubResult> DeleteAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken = default)
    {
        var target = await directory.TargetAsync(actor, tenantId, userId, AccountPolicyService.AdminUpdateUserAction, AdminUserOperations.Delete, cancellationToken);
        if (!target.Succeeded)
        {
            return target;
        }
        var user = target.Value.User;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await signOut.EndAllAsync(user, cancellationToken: cancellationToken);
        audit.Add(AdminUserOperations.AuditType(AdminUserOperations.Delete), tenantId, user.Id, actor.Origin);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            return HubResult.Failed(HubErrorCode.DatabaseFailure);
        }
        await transaction.CommitAsync(cancellationToken);
        return HubResult.Success;
    }

    /// <summary>Emails the person a password-reset link (the forgotten-password email).</summary>
    public async Task<HubResult> SendPasswordResetAsync(AdminActor actor, Guid tenantId, Guid userId, Uri? issuer, CancellationToken cancellationToken = default)
    {
        var target = await directory.TargetAsync(actor, tenantId, userId, AccountPolicyService.AdminUpdateUserAction, AdminUserOperations.ResetPassword, cancellationToken);
        if (!target.Succeeded)
        {
            return target;
        }
        var user = target.Value.User;
        if (!user.HasLocalPassword && !user.AwaitsPassword)
        {
            return HubResult.Failed(HubErrorCode.NotLocalUser);
        }
        await audit.RecordAsync(AdminUserOperations.AuditType(AdminUserOperations.ResetPassword), tenantId, user.Id, actor.Origin, cancellationToken);
        return await passwords.SendLinkAsync(user, actor.Origin, issuer, cancellationToken);
    }

    /// <summary>Sets a new password through the tenant's full policy, as a change: every session ends, the person is emailed.</summary>
    public async Task<HubResult<HubUser>> SetPasswordAsync(AdminActor actor, Guid tenantId, Guid userId, string password, CancellationToken cancellationToken = default)
    {
        var target = await directory.TargetAsync(actor, tenantId, userId, AccountPolicyService.AdminUpdateUserAction, AdminUserOperations.SetPassword, cancellationToken);
        if (!target.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(target);
        }
        var (user, tenant) = target.Value;
        var replaced = await passwords.ReplaceAsync(new AccountToChange(user, tenant, actor.Culture), password, actor.Origin, cancellationToken);
        if (replaced.Succeeded)
        {
            await audit.RecordAsync(AdminUserOperations.AuditType(AdminUserOperations.SetPassword), tenantId, user.Id, actor.Origin, cancellationToken);
        }
        return replaced;
    }

    /// <summary>One change of an account: found, allowed by the policies, changed and audited in one transaction.</summary>
    private async Task<HubResult<HubUser>> ChangeAsync(AdminActor actor, Guid tenantId, Guid userId, string operation, Func<HubUser, Task<HubResult>> change,
        CancellationToken cancellationToken, Cedar.EntityUid? action = null)
    {
        var target = await directory.TargetAsync(actor, tenantId, userId, action ?? AccountPolicyService.AdminUpdateUserAction, operation, cancellationToken);
        if (!target.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(target);
        }
        var user = target.Value.User;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await change(user);
        if (!changed.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(changed);
        }
        user.UpdatedAt = Now;
        audit.Add(AdminUserOperations.AuditType(operation), tenantId, user.Id, actor.Origin);
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            // A concurrent change of the same account won (Identity's concurrency stamp): nothing of this one stays.
            return HubResult<HubUser>.Failed(HubErrorCode.DatabaseFailure);
        }
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Ends every session and token of the account, and rotates its security stamp (saved with the change): a sign-in
    /// that verified the password before this commits and writes its session after is then inactive from the start.
    /// </summary>
    private async Task EndSessionsAsync(HubUser user, CancellationToken cancellationToken)
    {
        await signOut.EndAllAsync(user, cancellationToken: cancellationToken);
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
    }
}
