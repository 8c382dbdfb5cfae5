using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Administration;

/// <summary>
/// The read side of <see cref="UserAdministration"/>: a tenant and an account as an administrator may see them (a
/// tenant outside the actor's scope and an account of another tenant are not found, exactly like ones that do not
/// exist), pages of accounts, an account's audit events; and whether the tenant's Cedar policies let the actor
/// perform an operation on an account.
/// </summary>
public sealed class UserDirectory(IdentityHubDbContext db, TenantService tenants, ILookupNormalizer normalizer, AccountPolicyService policies,
    PasswordChangeReceipts receipts)
{
    /// <summary>The tenant, when it exists and the actor may administer it.</summary>
    public async Task<HubResult<Tenant>> FindTenantAsync(AdminActor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = actor.MayAdminister(tenantId) ? await tenants.FindAsync(tenantId, cancellationToken) : null;
        return tenant is null ? HubResult<Tenant>.Failed(HubErrorCode.TenantNotFound) : tenant;
    }

    /// <summary>The account (tracked, for a change) and its tenant, or not found for any account outside that tenant.</summary>
    public async Task<HubResult<(HubUser User, Tenant Tenant)>> FindUserAsync(AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken)
    {
        var tenant = await FindTenantAsync(actor, tenantId, cancellationToken);
        if (!tenant.Succeeded)
        {
            return HubResult<(HubUser, Tenant)>.FailedLike(tenant);
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId == tenantId, cancellationToken);
        return user is null ? HubResult<(HubUser, Tenant)>.Failed(HubErrorCode.AccountNotFound) : (user, tenant.Value);
    }

    /// <summary>The id of the tenant's account with this email (any letter case), or null.</summary>
    public async Task<Guid?> FindIdByEmailAsync(AdminActor actor, Guid tenantId, string email, CancellationToken cancellationToken)
    {
        if (!actor.MayAdminister(tenantId) || string.IsNullOrWhiteSpace(email))
        {
            return null;
        }
        var normalized = normalizer.NormalizeEmail(email.Trim());
        return await db.Users.Where(u => u.TenantId == tenantId && u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>A page of the tenant's accounts by email, optionally only those whose email contains the query's (any case).</summary>
    public async Task<HubResult<Paged<HubUser>>> ListAsync(AdminActor actor, Guid tenantId, UserQuery query, CancellationToken cancellationToken)
    {
        if (PagingProblem(query.Page, query.Size) is { } problem)
        {
            return problem;
        }
        var tenant = await FindTenantAsync(actor, tenantId, cancellationToken);
        if (!tenant.Succeeded)
        {
            return HubResult<Paged<HubUser>>.FailedLike(tenant);
        }
        var users = db.Users.AsNoTracking().Where(u => u.TenantId == tenantId);
        if (!string.IsNullOrEmpty(query.Email))
        {
            // Identity stores the normalised (upper-case) email: a substring of it is a case-insensitive search
            // that the database answers the same way on SQLite and PostgreSQL (no LIKE wildcards to escape).
            var part = normalizer.NormalizeEmail(query.Email.Trim());
            users = users.Where(u => u.NormalizedEmail!.Contains(part));
        }
        var total = await users.CountAsync(cancellationToken);
        var items = await users.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id)
            .Skip((query.Page - 1) * query.Size).Take(query.Size).ToListAsync(cancellationToken);
        return new Paged<HubUser>(items, query.Page, query.Size, total);
    }

    /// <summary>A page of the account's audit events, newest first.</summary>
    public async Task<HubResult<Paged<AuditEvent>>> AuditEventsAsync(AdminActor actor, Guid tenantId, Guid userId, int page, int size, CancellationToken cancellationToken)
    {
        if (PagingProblem(page, size) is { } problem)
        {
            return problem;
        }
        var found = await FindUserAsync(actor, tenantId, userId, cancellationToken);
        if (!found.Succeeded)
        {
            return HubResult<Paged<AuditEvent>>.FailedLike(found);
        }
        var events = db.AuditEvents.AsNoTracking().Where(e => e.UserId == userId && e.TenantId == tenantId);
        var total = await events.CountAsync(cancellationToken);
        var items = await events.OrderByDescending(e => e.Id).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Paged<AuditEvent>(items, page, size, total);
    }

    /// <summary>A page of the account's password-change receipts, newest first.</summary>
    public async Task<HubResult<Paged<PasswordChangeReceiptView>>> PasswordChangesAsync(AdminActor actor, Guid tenantId, Guid userId, int page, int size,
        CancellationToken cancellationToken)
    {
        var found = await FindUserAsync(actor, tenantId, userId, cancellationToken);
        return found.Succeeded
            ? await receipts.ListAsync(tenantId, userId, page, size, cancellationToken)
            : HubResult<Paged<PasswordChangeReceiptView>>.FailedLike(found);
    }

    /// <summary>One of the account's password-change receipts; not found for any other id.</summary>
    public async Task<HubResult<PasswordChangeReceiptView>> PasswordChangeAsync(AdminActor actor, Guid tenantId, Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var found = await FindUserAsync(actor, tenantId, userId, cancellationToken);
        if (!found.Succeeded)
        {
            return HubResult<PasswordChangeReceiptView>.FailedLike(found);
        }
        var receipt = await receipts.FindAsync(tenantId, userId, id, cancellationToken);
        return receipt is null ? HubResult<PasswordChangeReceiptView>.Failed(HubErrorCode.PasswordChangeNotFound) : receipt;
    }

    /// <summary>The account and its tenant when the actor may see it and the tenant's policies allow the operation.</summary>
    public async Task<HubResult<(HubUser User, Tenant Tenant)>> TargetAsync(AdminActor actor, Guid tenantId, Guid userId, Cedar.EntityUid action, string operation,
        CancellationToken cancellationToken)
    {
        var found = await FindUserAsync(actor, tenantId, userId, cancellationToken);
        if (!found.Succeeded)
        {
            return found;
        }
        return await RefusedAsync(actor, found.Value.User, found.Value.Tenant, action, operation) is { } refused
            ? HubResult<(HubUser, Tenant)>.Failed(refused)
            : found;
    }

    /// <summary>The refusal when the tenant's policies do not allow the operation (with their notices), else null.</summary>
    public async Task<HubError?> RefusedAsync(AdminActor actor, HubUser user, Tenant tenant, Cedar.EntityUid action, string operation)
    {
        var decision = await policies.AuthorizeAdminAsync(user, tenant, action, actor.Principal, operation, actor.Origin, actor.Culture);
        return decision.Allowed ? null : new HubError(HubErrorCode.ForbiddenByPolicy) { Notices = decision.Notices };
    }

    /// <summary>Why a page and size are out of range, or null (shared with the other paged reads of accounts).</summary>
    internal static HubError? PagingProblem(int page, int size) =>
        page is < 1 or > UserQuery.MaxPage ? new HubError(HubErrorCode.InvalidRequest, HubField.Page, ["out_of_range"])
        : size is < 1 or > UserQuery.MaxSize ? new HubError(HubErrorCode.InvalidRequest, HubField.PageSize, ["out_of_range"])
        : null;
}
