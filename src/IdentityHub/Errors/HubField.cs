namespace IdentityHub.Errors;

/// <summary>
/// The part of a request an error concerns, in the core's words. Each dialect names it on the wire in its own way
/// (seed 000 <c>current_password</c>, seed 002 <c>password</c> for the new password, ...), in its one mapper.
/// </summary>
public enum HubField
{
    /// <summary>The current password, given to prove presence.</summary>
    CurrentPassword,

    /// <summary>The new password.</summary>
    NewPassword,

    /// <summary>The explicit locale the caller asked for.</summary>
    Locale,

    /// <summary>The tenant the request names (seed 000's <c>X-Tenant-ID</c> header).</summary>
    Tenant,

    /// <summary>Cedar policies given for evaluation (the admin API).</summary>
    Policies,

    /// <summary>The email an account is looked up by (a password-reset request).</summary>
    Email,

    /// <summary>The token of a password-reset link.</summary>
    ResetToken,

    /// <summary>A tenant named by an administrator (a path segment of the admin API).</summary>
    TenantId,

    /// <summary>An account named by an administrator (a path segment of the admin API).</summary>
    UserId,

    /// <summary>The display name of an account an administrator creates.</summary>
    DisplayName,

    /// <summary>The roles of an account an administrator creates.</summary>
    Roles,

    /// <summary>A password an administrator sets (an initial one, or a replacement).</summary>
    Password,

    /// <summary>Whether an administrator invites the person instead of giving a password.</summary>
    Invite,

    /// <summary>The page number of a listing.</summary>
    Page,

    /// <summary>The page size of a listing.</summary>
    PageSize,
}
