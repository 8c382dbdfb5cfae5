using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.PasswordChanges;

/// <summary>The first step of a change: the account, its tenant and language, and the tenant's policies' answer.</summary>
public sealed class AccountLookup(UserManager<HubUser> users, TenantService tenants, LocaleResolver locales, AccountPolicyService accountPolicies)
{
    /// <summary>
    /// The account, its tenant and the language of everything the change says; refused when the tenant's policies
    /// deny the change (asked before the password is even looked at) or the account has no local password.
    /// </summary>
    public async Task<HubResult<AccountToChange>> FindAsync(PasswordChange change, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(change.UserId.ToString());
        if (user is null || user.TenantId != change.TenantId)
        {
            return HubResult<AccountToChange>.Failed(HubErrorCode.UserNotFound);
        }
        var tenant = await tenants.FindAsync(user.TenantId, cancellationToken);
        if (tenant is null)
        {
            return HubResult<AccountToChange>.Failed(HubErrorCode.InvalidPrincipalDocument);
        }
        // One language for policy notices and the email; at most a handful of the request's languages are considered.
        var culture = locales.Resolve([change.Locale, .. change.PreferredLocales.Take(LocaleResolver.MaxRequestedLocales), user.Locale, tenant.DefaultLocale, "en"]);
        var decision = await accountPolicies.AuthorizeChangePasswordAsync(user, tenant, change, culture);
        if (!decision.Allowed)
        {
            return new HubError(HubErrorCode.ForbiddenByPolicy) { Notices = decision.Notices };
        }
        if (!user.HasLocalPassword)
        {
            return HubResult<AccountToChange>.Failed(HubErrorCode.NotLocalUser);
        }
        return new AccountToChange(user, tenant, culture);
    }
}
