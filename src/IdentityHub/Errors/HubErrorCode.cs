namespace IdentityHub.Errors;

/// <summary>
/// The stable, dialect-neutral failure codes of the core. Each API dialect maps every code to its own status and
/// wire code in exactly one place; the numeric values are never persisted or sent.
/// </summary>
public enum HubErrorCode
{
    /// <summary>The request is malformed: unreadable JSON, a missing field or a malformed header.</summary>
    InvalidRequest,

    /// <summary>The request body is not JSON (its Content-Type is missing or names another format).</summary>
    UnsupportedMediaType,

    /// <summary>No credential was presented at all.</summary>
    AuthenticationRequired,

    /// <summary>The credential is unusable: malformed, tampered, signed by someone else, revoked, or not a user's.</summary>
    Unauthenticated,

    /// <summary>The access token is well-formed and signed by us but has expired.</summary>
    AccessTokenExpired,

    /// <summary>A step-up token is required and none was presented.</summary>
    StepUpRequired,

    /// <summary>The step-up token is ours and well-formed but has expired.</summary>
    StepUpExpired,

    /// <summary>The step-up token is unusable: unreadable, forged, of the wrong type, or already used.</summary>
    StepUpInvalid,

    /// <summary>The step-up token belongs to another user or another session than the access token.</summary>
    StepUpMismatch,

    /// <summary>
    /// A password-reset link cannot be used: <see cref="HubError.Details"/> holds one of
    /// <see cref="PasswordResets.ResetLinkReasons"/> (invalid, expired, used, superseded).
    /// </summary>
    ResetLinkInvalid,

    /// <summary>The tenant's Cedar policies do not allow the action; <see cref="HubError.Notices"/> says why.</summary>
    ForbiddenByPolicy,

    /// <summary>The tenant named by the request differs from the tenant of the credential.</summary>
    TenantMismatch,

    /// <summary>The credential is good but its client is not an administrator (the admin API needs one).</summary>
    NotAdminClient,

    /// <summary>The credential is good but lacks the scope the endpoint needs.</summary>
    InsufficientScope,

    /// <summary>Cedar policies given for evaluation do not parse; <see cref="HubError.Context"/> says where.</summary>
    InvalidPolicies,

    /// <summary>A request document (such as an evaluation request) is JSON but not of the expected shape.</summary>
    InvalidDocument,

    /// <summary>The tenant named by the request does not exist.</summary>
    TenantNotFound,

    /// <summary>No active session of the caller has the id given (another user's, ended, or unknown: one answer).</summary>
    SessionNotFound,

    /// <summary>No password-change receipt of the account has the id given (another account's, another tenant's, unknown, malformed: one answer).</summary>
    PasswordChangeNotFound,

    /// <summary>The account the credential points at no longer exists.</summary>
    UserNotFound,

    /// <summary>The account an administrator named does not exist in the tenant (or not for this administrator).</summary>
    AccountNotFound,

    /// <summary>An account with this email already exists in the tenant.</summary>
    UserExists,

    /// <summary>The password was right but an administrator disabled the account.</summary>
    AccountDisabled,

    /// <summary>The password was right but must be changed before the account is used (an administrator asked for it).</summary>
    PasswordChangeRequired,

    /// <summary>The account has no local password (for example it was created from an external login).</summary>
    NotLocalUser,

    /// <summary>A sign-in or re-authentication failed: unknown account or wrong password, deliberately one answer.</summary>
    InvalidCredentials,

    /// <summary>The current password presented for verification is wrong.</summary>
    InvalidCurrentPassword,

    /// <summary>The new password breaks one or more rules of the tenant's policy; <see cref="HubError.Details"/> lists them.</summary>
    WeakPassword,

    /// <summary>Too many failed password attempts: the account is locked out for a while.</summary>
    TooManyAttempts,

    /// <summary>The caller sent too many requests in a short time.</summary>
    RateLimited,

    /// <summary>
    /// The server is too busy hashing other passwords to verify or hash this one (503); <see cref="HubError.RetryAfterSeconds"/>
    /// says when to try again. Nothing was checked or changed.
    /// </summary>
    ServiceBusy,

    /// <summary>The database could not be read or written.</summary>
    DatabaseFailure,

    /// <summary>The password hasher failed.</summary>
    HashFailure,

    /// <summary>The stored account is unreadable, e.g. its password hash is not in any format the hasher knows.</summary>
    InvalidPrincipalDocument,

    /// <summary>Any other unexpected failure.</summary>
    Internal,

    /// <summary>The client named by the request does not exist (or belongs to a tenant the caller does not administer).</summary>
    ClientNotFound,

    /// <summary>A tenant or client with the id given already exists.</summary>
    AlreadyExists,

    /// <summary>
    /// The tenant or client is defined by the seed configuration (<c>IdentityHub:Seed</c>), which owns it: it is changed
    /// there, not through the admin API or the command line.
    /// </summary>
    ManagedByConfiguration,

    /// <summary>Only an administrator bound to no tenant may do this (create a tenant, make a client an administrator).</summary>
    NotGlobalAdmin,

    /// <summary>The administrator client would delete or demote itself, and so lock its operator out.</summary>
    OwnClient,

    /// <summary>The item was changed by someone else at the same moment, twice in a row; read it again and retry.</summary>
    ConcurrentChange,
}
