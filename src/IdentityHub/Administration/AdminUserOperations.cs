using IdentityHub.Audit;

namespace IdentityHub.Administration;

/// <summary>
/// The operations an administrator performs on an account: the <c>context.operation</c> of the Cedar request
/// (<c>Action::"AdminUpdateUser"</c>, or <c>Action::"RevokeSession"</c> for <see cref="RevokeSessions"/>) and, with an
/// <c>admin_</c> prefix, the audit event type. Stored, so they never change.
/// </summary>
public static class AdminUserOperations
{
    /// <summary>An account created with an initial password.</summary>
    public const string Create = "create";

    /// <summary>An account created without a password, its owner emailed a link to set one.</summary>
    public const string Invite = "invite";

    /// <summary>Locked (Identity's lockout, until unlocked).</summary>
    public const string Lock = "lock";

    /// <summary>Unlocked, with its failure count cleared.</summary>
    public const string Unlock = "unlock";

    /// <summary>Disabled: no sign-in, every session and token ended.</summary>
    public const string Disable = "disable";

    /// <summary>Enabled again.</summary>
    public const string Enable = "enable";

    /// <summary>Deleted (its audit events are kept).</summary>
    public const string Delete = "delete";

    /// <summary>A new password required at the next sign-in; every session ended.</summary>
    public const string RequirePasswordChange = "require_password_change";

    /// <summary>A password-reset email sent.</summary>
    public const string ResetPassword = "reset_password";

    /// <summary>A password set directly (through the tenant's full policy).</summary>
    public const string SetPassword = "set_password";

    /// <summary>Every session and token ended.</summary>
    public const string RevokeSessions = "revoke_sessions";

    /// <summary>The audit event type of an operation: <c>admin_</c> and the operation.</summary>
    public static string AuditType(string operation) => AuditEventTypes.AdminPrefix + operation;
}
