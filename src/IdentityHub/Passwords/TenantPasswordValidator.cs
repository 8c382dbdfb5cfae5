using IdentityHub.Accounts;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Passwords;

/// <summary>
/// Plugs the tenant's policy into Identity's own pipeline (<c>CreateAsync(user, password)</c>,
/// <c>AddPasswordAsync</c>), replacing Identity's default validator, so that no path sets a password the policy forbids.
/// The identity error code is the rule code.
/// </summary>
public sealed class TenantPasswordValidator(PasswordPolicyService policy) : IPasswordValidator<HubUser>
{
    /// <inheritdoc />
    public async Task<IdentityResult> ValidateAsync(UserManager<HubUser> manager, HubUser user, string? password)
    {
        var (violations, _) = await policy.CheckAsync(user, password ?? "");
        return violations.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed(violations.Select(code => new IdentityError { Code = code, Description = code }).ToArray());
    }
}
