using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.PasswordResets;

namespace IdentityHub.Administration;

/// <summary>
/// Emails a person whose account an administrator created without a password a link to set one. For now the link is
/// the password-reset link (the reset email, through <see cref="PasswordResetService"/>, which accepts an account
/// that awaits its first password, <see cref="HubUser.AwaitsPassword"/>); <see cref="InviteAsync"/> is the one call to
/// point at a dedicated invitation email when there is one.
/// </summary>
public sealed class UserInvitations(PasswordResetService resets)
{
    /// <summary>Queues the email; fails when throttled or the database fails.</summary>
    public Task<HubResult> InviteAsync(HubUser user, RequestOrigin origin, Uri? issuer, CancellationToken cancellationToken) =>
        resets.RequestAsync(new PasswordResetRequest(user.TenantId, user.Email, origin) { Issuer = issuer, Locale = user.Locale }, cancellationToken);
}
