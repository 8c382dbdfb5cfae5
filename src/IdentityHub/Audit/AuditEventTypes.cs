namespace IdentityHub.Audit;

/// <summary>The audit event type names; stored, so they never change.</summary>
public static class AuditEventTypes
{
    /// <summary>A successful sign-in.</summary>
    public const string SignIn = "sign_in";

    /// <summary>A sign-in with a wrong password or for a locked account.</summary>
    public const string SignInFailed = "sign_in_failed";

    /// <summary>
    /// A password change refused on its current password: wrong, or not even checked because the account (or the
    /// caller's IP, for this account) is locked.
    /// </summary>
    public const string CurrentPasswordFailed = "current_password_failed";

    /// <summary>A successful password change.</summary>
    public const string PasswordChanged = "password_changed";

    /// <summary>
    /// A forgotten-password reset was asked for. Recorded for every request, whether or not the email names an account
    /// (then without a user id), so the audit log's writes do not tell the two apart either.
    /// </summary>
    public const string PasswordResetRequested = "password_reset_requested";

    /// <summary>A password was reset with a reset link.</summary>
    public const string PasswordReset = "password_reset";

    /// <summary>
    /// A person signed out one of their sessions from the security page or the API. The event's session id is the
    /// session that ended; its IP, User-Agent and client are those of the request that ended it.
    /// </summary>
    public const string SessionRevoked = "session_revoked";

    /// <summary>A person signed out all their other sessions ("sign out everywhere else"); the event's session id is the one kept.</summary>
    public const string OtherSessionsRevoked = "other_sessions_revoked";

    /// <summary>
    /// The prefix of an administrator's action on an account: <c>admin_</c> and one of
    /// <see cref="Administration.AdminUserOperations"/> (<c>admin_create</c>, <c>admin_lock</c>, ...). The event's client is
    /// the acting administrator client; a command-line action has none and the User-Agent <c>IdentityHub CLI (user)</c>.
    /// </summary>
    public const string AdminPrefix = "admin_";

    /// <summary>A sign-in with the right password refused because an administrator disabled the account.</summary>
    public const string SignInDisabled = "sign_in_disabled";

    /// <summary>A person revoked an application's access (its consent and tokens); the event's client is that application.</summary>
    public const string ConsentRevoked = "consent_revoked";

    /// <summary>An email-verification link was sent.</summary>
    public const string EmailVerificationSent = "email_verification_sent";

    /// <summary>The account's email was verified (its link, or an emailed link that set the password).</summary>
    public const string EmailVerified = "email_verified";

    /// <summary>An invitation (a link to choose the first password) was sent.</summary>
    public const string InvitationSent = "invitation_sent";

    /// <summary>
    /// An administrator created a tenant (admin API or command line). The event's tenant is the new tenant; its client
    /// is the acting administrator client (<c>cli</c> for the command line).
    /// </summary>
    public const string TenantCreated = "tenant_created";

    /// <summary>An administrator changed a tenant's name, locale, password policy, Cedar policies or attributes.</summary>
    public const string TenantUpdated = "tenant_updated";

    /// <summary>
    /// An administrator created an OAuth client. The event's tenant is the client's tenant, or the empty UUID
    /// (<c>00000000-0000-0000-0000-000000000000</c>) for a client bound to no tenant; its client is the acting one.
    /// </summary>
    public const string ClientCreated = "client_created";

    /// <summary>An administrator changed a client's URIs, origins, grant types, scopes, name or administrator flag.</summary>
    public const string ClientUpdated = "client_updated";

    /// <summary>An administrator replaced a confidential client's secret.</summary>
    public const string ClientSecretRotated = "client_secret_rotated";

    /// <summary>An administrator deleted a client, its authorizations and tokens.</summary>
    public const string ClientDeleted = "client_deleted";
}
