using IdentityHub.Audit;

namespace IdentityHub.Passwords;

/// <summary>
/// A request to change a user's own password, as every dialect hands it to <see cref="ChangePasswordService"/>.
/// </summary>
/// <param name="UserId">The account, from the access token's <c>sub</c>.</param>
/// <param name="TenantId">The tenant, from the access token's <c>tid</c>; the account must belong to it.</param>
/// <param name="CurrentPassword">The current password to verify.</param>
/// <param name="NewPassword">The new password.</param>
/// <param name="Origin">Where the request came from, for the audit event.</param>
public sealed record PasswordChange(Guid UserId, Guid TenantId, string CurrentPassword, string NewPassword, RequestOrigin Origin)
{
    /// <summary>Never print passwords, even in a debugger or a log of the record.</summary>
    public override string ToString() => $"PasswordChange {{ UserId = {UserId}, TenantId = {TenantId} }}";
}
