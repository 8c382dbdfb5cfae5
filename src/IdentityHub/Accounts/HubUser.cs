using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Accounts;

/// <summary>
/// An account. It belongs to exactly one tenant. ASP.NET Core Identity requires a globally unique user name, so
/// the user name is composed from the tenant id and the email (<see cref="ComposeUserName"/>); the email itself is
/// unique only within its tenant.
/// </summary>
public sealed class HubUser : IdentityUser<Guid>
{
    /// <summary>The tenant the account belongs to.</summary>
    public Guid TenantId { get; set; }

    /// <summary>Display name, optional.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Preferred BCP 47 locale for mail and pages, if the user chose one.</summary>
    public string? Locale { get; set; }

    /// <summary>When the account was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the account was last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>When the password was last set (UTC), null if never.</summary>
    public DateTime? PasswordChangedAt { get; set; }

    /// <summary>
    /// When an administrator disabled the account (UTC), null while enabled. A disabled account cannot sign in by any
    /// grant or page, and disabling it ends all its sessions and tokens. Unlike a lockout, it never ends on its own.
    /// </summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>
    /// True when the person must set a new password before anything else: an administrator asked for it, or the
    /// account was created by invitation and has no password yet. Cleared by the next password change or reset.
    /// </summary>
    public bool PasswordChangeRequired { get; set; }

    /// <summary>
    /// The lockout end of an administrator's lock (<see cref="DateTimeOffset.MaxValue"/> does not survive every
    /// database's timestamp precision): a lock until unlocked, which a password reset does not lift.
    /// </summary>
    public static readonly DateTimeOffset AdministratorLockEnd = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>True when an administrator locked the account (until unlocked).</summary>
    public bool IsLockedByAdministrator => LockoutEnd >= AdministratorLockEnd;

    /// <summary>True when an administrator disabled the account.</summary>
    public bool IsDisabled => DisabledAt is not null;

    /// <summary>
    /// True for an account created without a password that must set one (an invitation): it may use a password-reset
    /// link to choose its first password, which an account without a local password otherwise may not.
    /// </summary>
    public bool AwaitsPassword => !HasLocalPassword && PasswordChangeRequired;

    /// <summary>True when the account can sign in with a local password (false for external-login-only accounts).</summary>
    public bool HasLocalPassword => !string.IsNullOrEmpty(PasswordHash);

    /// <summary>
    /// The Identity user name for an email within a tenant: unique across tenants, stable, never shown to users.
    /// </summary>
    public static string ComposeUserName(Guid tenantId, string email) => $"{tenantId:N}.{email.Trim()}";
}
