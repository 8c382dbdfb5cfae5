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
}
