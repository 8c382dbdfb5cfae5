using IdentityHub.Administration;
using IdentityHub.Errors;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// Reads an account's password-change receipts with the current state of their deliveries. Every read is scoped to
/// one tenant and one account, so a caller only ever reaches receipts of the account it names (its own, or for an
/// administrator one it may see); any other id is simply not found.
/// </summary>
public sealed class PasswordChangeReceipts(IdentityHubDbContext db)
{
    /// <summary>The account's receipt with this id, or null (another account's, another tenant's, unknown).</summary>
    public async Task<PasswordChangeReceiptView?> FindAsync(Guid tenantId, Guid userId, Guid id, CancellationToken cancellationToken = default)
    {
        var receipt = await Of(tenantId, userId).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return receipt is null ? null : (await WithDeliveriesAsync([receipt], cancellationToken))[0];
    }

    /// <summary>A page of the account's receipts, newest first (page from 1, size up to <see cref="UserQuery.MaxSize"/>).</summary>
    public async Task<HubResult<Paged<PasswordChangeReceiptView>>> ListAsync(Guid tenantId, Guid userId, int page, int size, CancellationToken cancellationToken = default)
    {
        if (UserDirectory.PagingProblem(page, size) is { } problem)
        {
            return problem;
        }
        var receipts = Of(tenantId, userId);
        var total = await receipts.CountAsync(cancellationToken);
        // Version 7 ids sort by creation time.
        var items = await receipts.OrderByDescending(r => r.ChangedAt).ThenByDescending(r => r.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Paged<PasswordChangeReceiptView>(await WithDeliveriesAsync(items, cancellationToken), page, size, total);
    }

    private IQueryable<PasswordChangeReceipt> Of(Guid tenantId, Guid userId) =>
        db.PasswordChangeReceipts.AsNoTracking().Where(r => r.TenantId == tenantId && r.UserId == userId);

    /// <summary>The receipts with their deliveries, read in one query.</summary>
    private async Task<IReadOnlyList<PasswordChangeReceiptView>> WithDeliveriesAsync(List<PasswordChangeReceipt> receipts, CancellationToken cancellationToken)
    {
        var ids = receipts.Select(r => (Guid?)r.Id).ToList();
        var messages = ids.Count == 0 ? [] : await db.Outbox.AsNoTracking()
            .Where(m => ids.Contains(m.ReceiptId))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Kind).ThenBy(m => m.ToAddress)
            .ToListAsync(cancellationToken);
        var byReceipt = messages.ToLookup(m => m.ReceiptId);
        return [.. receipts.Select(r => new PasswordChangeReceiptView(r, [.. byReceipt[r.Id].Select(ReceiptDeliveries.From)]))];
    }
}
