using IdentityHub.Accounts;
using IdentityHub.Tenancy;

namespace IdentityHub.Passwords;

/// <summary>
/// Applies a tenant's password policy to a candidate password. Every violated rule is reported, not just the first.
/// </summary>
public sealed class PasswordPolicyService(TenantService tenants, PasswordPolicyValidator validator)
{
    /// <summary>The resolved policy of a tenant; the strict default when the tenant is unknown.</summary>
    public async Task<PasswordPolicy> GetPolicyAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var tenant = await tenants.FindAsync(tenantId, cancellationToken);
        return PasswordPolicy.Resolve(tenant?.PasswordPolicy);
    }

    /// <summary>
    /// Returns the rule codes the password violates for this user (empty when it is acceptable) and the policy that
    /// was applied. History rules (<c>reused_password</c>, <c>same_as_current</c>) are the caller's, who holds the hashes.
    /// </summary>
    public async Task<(IReadOnlyList<string> Violations, PasswordPolicy Policy)> CheckAsync(HubUser user, string password, CancellationToken cancellationToken = default) =>
        Check(user, await tenants.FindAsync(user.TenantId, cancellationToken), password);

    /// <summary>As <see cref="CheckAsync"/>, for a caller that already holds the user's tenant.</summary>
    public (IReadOnlyList<string> Violations, PasswordPolicy Policy) Check(HubUser user, Tenant? tenant, string password)
    {
        var policy = PasswordPolicy.Resolve(tenant?.PasswordPolicy);
        var subject = new PasswordSubject(user.Email, user.Email, user.DisplayName, tenant?.Name);
        return (validator.Validate(password, policy, subject), policy);
    }
}
