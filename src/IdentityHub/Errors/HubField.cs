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

    /// <summary>A tenant's display name (the admin API).</summary>
    TenantName,

    /// <summary>A tenant's default locale (the admin API).</summary>
    DefaultLocale,

    /// <summary>A tenant's password policy (the admin API).</summary>
    PasswordPolicy,

    /// <summary>A tenant's attributes (the admin API).</summary>
    Attributes,

    /// <summary>A tenant's id as a request names it in its body or path (the admin API).</summary>
    TenantId,

    /// <summary>A client's id (the admin API).</summary>
    ClientId,

    /// <summary>A client's type, public or confidential (the admin API).</summary>
    ClientType,

    /// <summary>A client's grant types (the admin API).</summary>
    GrantTypes,

    /// <summary>A client's redirect URIs (the admin API).</summary>
    RedirectUris,

    /// <summary>A client's post-logout redirect URIs (the admin API).</summary>
    PostLogoutRedirectUris,

    /// <summary>A client's allowed browser origins (the admin API).</summary>
    AllowedOrigins,

    /// <summary>A client's scopes (the admin API).</summary>
    Scopes,

    /// <summary>A client's back-channel logout URI (the admin API).</summary>
    BackchannelLogoutUri,

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
