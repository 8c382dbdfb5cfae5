using System.Globalization;
using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.PasswordResets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Administration;

/// <summary>
/// The "create" of <see cref="UserAdministration"/>: checks the input, asks the tenant's policies
/// (<c>Action::"AdminUpdateUser"</c>, operation <c>create</c> or <c>invite</c>), sets the initial password through the
/// tenant's full policy or leaves the account awaiting one, creates it with its roles (created when missing, as the
/// seed does) and its audit event, then sends the invitation.
/// </summary>
public sealed class AccountCreation(
    UserManager<HubUser> users, RoleManager<IdentityRole<Guid>> roles, UserDirectory directory, AdminPasswords passwords, AuditLog audit, TimeProvider clock)
{
    /// <summary>Creates the account; nothing is stored unless it succeeds (the invitation email aside, which follows it).</summary>
    public async Task<HubResult<HubUser>> CreateAsync(AdminActor actor, Guid tenantId, NewUser input, Uri? issuer, CancellationToken cancellationToken)
    {
        if (InputProblem(input) is { } problem)
        {
            return problem;
        }
        var tenant = await directory.FindTenantAsync(actor, tenantId, cancellationToken);
        if (!tenant.Succeeded)
        {
            return HubResult<HubUser>.FailedLike(tenant);
        }
        var user = Build(input, tenantId, clock.GetUtcNow().UtcDateTime);
        var operation = input.Invite ? AdminUserOperations.Invite : AdminUserOperations.Create;
        if (await directory.RefusedAsync(actor, user, tenant.Value, AccountPolicyService.AdminUpdateUserAction, operation) is { } refused)
        {
            return refused;
        }
        if (await users.FindByNameAsync(user.UserName!) is not null)
        {
            return new HubError(HubErrorCode.UserExists, HubField.Email);
        }
        if (!input.Invite)
        {
            var initial = await passwords.SetInitialAsync(user, tenant.Value, input.Password!, user.CreatedAt, cancellationToken);
            if (!initial.Succeeded)
            {
                return HubResult<HubUser>.FailedLike(initial);
            }
        }
        audit.Add(AdminUserOperations.AuditType(operation), tenantId, user.Id, actor.Origin);
        if (!await TryCreateAsync(user))
        {
            return new HubError(HubErrorCode.UserExists, HubField.Email);
        }
        await AddRolesAsync(user, input.Roles);
        if (input.Invite)
        {
            var invited = await passwords.SendLinkAsync(user, actor.Origin, issuer, cancellationToken);
            if (!invited.Succeeded)
            {
                return HubResult<HubUser>.FailedLike(invited);
            }
        }
        return user;
    }

    /// <summary>
    /// Creates the account; false when the email is taken. Identity checks first; two administrators creating the
    /// same email at once get past that check together, and then the unique index decides, the loser is told.
    /// </summary>
    private async Task<bool> TryCreateAsync(HubUser user)
    {
        try
        {
            return (await users.CreateAsync(user)).Succeeded;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private async Task AddRolesAsync(HubUser user, IReadOnlyList<string> names)
    {
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!await roles.RoleExistsAsync(name))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(name) { Id = Guid.CreateVersion7() });
            }
        }
        if (names.Count > 0)
        {
            await users.AddToRolesAsync(user, names.Distinct(StringComparer.Ordinal));
        }
    }

    private static HubUser Build(NewUser input, Guid tenantId, DateTime now)
    {
        var email = input.Email!.Trim();
        return new HubUser
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            UserName = HubUser.ComposeUserName(tenantId, email),
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? null : input.DisplayName.Trim(),
            Locale = string.IsNullOrWhiteSpace(input.Locale) ? null : CultureInfo.GetCultureInfo(input.Locale.Trim(), predefinedOnly: true).Name,
            PasswordChangeRequired = input.Invite,
            LockoutEnabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>What is wrong with the input as given, before anything is looked up.</summary>
    private static HubError? InputProblem(NewUser input)
    {
        var email = input.Email?.Trim();
        string? problem = string.IsNullOrEmpty(email) ? "required"
            : email.Length > PasswordResetRequest.MaxEmailLength ? "too_long"
            : email.IndexOf('@') is var at && at > 0 && at < email.Length - 1 && !email.Any(char.IsWhiteSpace) ? null
            : "invalid_email";
        if (problem is not null)
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Email, [problem]);
        }
        if (input.DisplayName is { Length: > NewUser.MaxDisplayNameLength })
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.DisplayName, ["too_long"]);
        }
        if (!string.IsNullOrWhiteSpace(input.Locale) && !IsLocale(input.Locale.Trim()))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Locale, ["invalid_locale"]);
        }
        if (input.Roles.Count > NewUser.MaxRoles || input.Roles.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 256))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Roles, ["invalid_roles"]);
        }
        return input.Invite == (input.Password is not null)
            ? new HubError(HubErrorCode.InvalidRequest, HubField.Password, [input.Invite ? "not_with_invite" : "required"])
            : null;
    }

    private static bool IsLocale(string tag)
    {
        if (tag.Length > LocaleResolver.MaxTagLength)
        {
            return false;
        }
        try
        {
            return !CultureInfo.GetCultureInfo(tag, predefinedOnly: true).Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
