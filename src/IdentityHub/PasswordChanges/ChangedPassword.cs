using IdentityHub.Accounts;
using IdentityHub.Errors;

namespace IdentityHub.PasswordChanges;

/// <summary>A committed password change: the changed account and the id of its <see cref="PasswordChangeReceipt"/>.</summary>
public sealed record ChangedPassword(HubUser User, Guid ReceiptId)
{
    /// <summary>The changed account of a commit's result, for callers that answer with the account only (null stays null).</summary>
    public static HubResult<HubUser>? AccountOf(HubResult<ChangedPassword>? result) =>
        result is null ? null : result.Succeeded ? result.Value.User : HubResult<HubUser>.FailedLike(result);
}
