using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.PasswordChanges;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.PasswordResets;

/// <summary>
/// Checks a reset link before anything is typed or hashed: its account, its ticket (not superseded, used or expired),
/// Identity's token (the security stamp and lifetime), the tenant's policies (<c>Action::"ResetPassword"</c>) and that
/// the account has a local password (or, for an invitation's link, is to get its first one).
/// </summary>
public sealed class ResetLinkCheck(
    UserManager<HubUser> users, TenantService tenants, LocaleResolver locales, AccountPolicyService policies, PasswordResetTokens tokens, PasswordResetTickets tickets)
{
    /// <summary>The account to reset and the proof the commit consumes, or why the link cannot be used.</summary>
    public async Task<HubResult<(AccountToChange Account, PasswordResetProof Proof)>> CheckAsync(PasswordResetConfirmation confirmation, CancellationToken cancellationToken)
    {
        var parsed = PasswordResetTokens.Parse(confirmation.Token);
        var user = parsed is null ? null : await users.FindByIdAsync(parsed.UserId.ToString());
        if (parsed is null || user is null || string.IsNullOrEmpty(user.Email) || (confirmation.TenantId is { } tenantId && user.TenantId != tenantId))
        {
            return Refused(ResetLinkReasons.Invalid);
        }
        // An invitation's link names its own ticket (which no "forgot password" request supersedes).
        var invitationKey = tokens.InvitationKey(user.TenantId, user.Email);
        var invitation = await tickets.NamesAsync(invitationKey, parsed.RequestId, cancellationToken);
        var key = invitation ? invitationKey : tokens.TicketKey(user.TenantId, user.Email);
        // The ticket first, for a precise reason; then Identity's token, which a new security stamp (a password changed
        // since) or its own lifetime also ends.
        if (await tickets.RefuseAsync(key, parsed.RequestId, cancellationToken) is { } reason)
        {
            return Refused(reason);
        }
        if (!await tokens.VerifyAsync(user, parsed, invitation ? EmailLinkKind.Invitation : EmailLinkKind.PasswordReset))
        {
            return Refused(ResetLinkReasons.Invalid);
        }
        var tenant = await tenants.FindAsync(user.TenantId, cancellationToken);
        if (tenant is null)
        {
            return new HubError(HubErrorCode.InvalidPrincipalDocument);
        }
        var culture = locales.Resolve([confirmation.Locale, .. confirmation.PreferredLocales.Take(LocaleResolver.MaxRequestedLocales), user.Locale, tenant.DefaultLocale, "en"]);
        var decision = await policies.AuthorizeResetPasswordAsync(user, tenant, confirmation.Origin, culture);
        if (!decision.Allowed)
        {
            return new HubError(HubErrorCode.ForbiddenByPolicy) { Notices = decision.Notices };
        }
        if (!user.HasLocalPassword && !invitation && !user.AwaitsPassword)
        {
            return new HubError(HubErrorCode.NotLocalUser);
        }
        return (new AccountToChange(user, tenant, culture), new PasswordResetProof(key, parsed.RequestId));
    }

    private static HubError Refused(string reason) => new(HubErrorCode.ResetLinkInvalid, HubField.ResetToken, [reason]);
}
