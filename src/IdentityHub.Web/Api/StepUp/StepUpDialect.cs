using IdentityHub.Errors;
using IdentityHub.StepUp;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>
/// Seed 002: one <c>password</c> field, proven by the <c>X-Step-Up-Token</c> header instead of the current password,
/// errors as <c>{code, message}</c> in upper case. Where a step-up token is missing or no longer good, the response
/// carries the RFC 9470 challenge so the client knows to re-authenticate the user.
/// </summary>
internal sealed class StepUpDialect(TimeSpan stepUpLifetime) : AccountApiDialect
{
    public const string StepUpHeader = "X-Step-Up-Token";

    public override string Name => "step-up";

    public override string? FieldName(HubField field) => field switch
    {
        HubField.NewPassword => "password",
        HubField.Locale => "locale",
        HubField.CurrentPassword or HubField.Tenant or HubField.Policies or HubField.Email or HubField.ResetToken => null,
        >= HubField.TenantName => null,   // the admin API's fields: that API speaks v1 only
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>The step-up token must be good (ours, unexpired); whose it is and whether it was used, the core checks.</summary>
    public override async ValueTask<HubResult<StepUpProof?>> CheckCallerAsync(HttpContext context, Caller caller)
    {
        var proof = await context.RequestServices.GetRequiredService<StepUpTokenService>()
            .ValidateAsync(context.Request.Headers[StepUpHeader].ToString(), HttpOrigin.Issuer(context).AbsoluteUri);
        return proof.Succeeded ? proof.Value : HubResult<StepUpProof?>.FailedLike(proof);
    }

    public override IResult ToResult(IReadOnlyList<HubError> errors)
    {
        var error = errors[0];
        var (status, code, message) = Describe(error.Code);
        var body = error.Code switch
        {
            HubErrorCode.WeakPassword or HubErrorCode.InvalidRequest => new StepUpErrorBody(code, message, FieldOf(error), error.Rules),
            HubErrorCode.ForbiddenByPolicy => new StepUpErrorBody(code, message, Notices: error.Notices),
            _ => new StepUpErrorBody(code, message),
        };
        var challenge = error.Code is HubErrorCode.StepUpRequired or HubErrorCode.StepUpExpired or HubErrorCode.StepUpInvalid or HubErrorCode.StepUpMismatch
            ? $"Bearer error=\"insufficient_user_authentication\", error_description=\"{message}\", max_age={(long)stepUpLifetime.TotalSeconds}"
            : null;
        return new DialectErrorResult(status, body, error, challenge);
    }

    private static (int Status, string Code, string Message) Describe(HubErrorCode code) => code switch
    {
        HubErrorCode.InvalidRequest or HubErrorCode.InvalidPolicies or HubErrorCode.InvalidDocument => (400, "VALIDATION_ERROR", "The request is malformed."),
        // Seed 002 has no reset links (the v1 API carries them); should one reach it, the request is what is unusable.
        HubErrorCode.ResetLinkInvalid => (400, "VALIDATION_ERROR", "The password reset link cannot be used."),
        HubErrorCode.UnsupportedMediaType => (415, "UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON (Content-Type: application/json)."),
        HubErrorCode.WeakPassword => (400, "VALIDATION_ERROR", "The new password does not meet the password policy."),
        HubErrorCode.NotLocalUser => (400, "NO_PASSWORD_PROVIDER", "The user needs to set a password to perform this action."),
        HubErrorCode.AuthenticationRequired => (401, "AUTHENTICATION_REQUIRED", "User is not authenticated."),
        HubErrorCode.AccessTokenExpired => (401, "ACCESS_TOKEN_EXPIRED", "The access token is expired."),
        HubErrorCode.Unauthenticated or HubErrorCode.TenantMismatch => (401, "ACCESS_TOKEN_INVALID", "The access token cannot be decoded or is no longer valid."),
        HubErrorCode.StepUpRequired => (401, "STEP_UP_TOKEN_MISSING", "A step-up token is required."),
        HubErrorCode.StepUpExpired => (401, "STEP_UP_TOKEN_EXPIRED", "The step-up token is expired."),
        HubErrorCode.StepUpInvalid => (401, "STEP_UP_TOKEN_INVALID", "The step-up token cannot be decoded or was already used."),
        HubErrorCode.StepUpMismatch or HubErrorCode.InvalidCurrentPassword or HubErrorCode.InvalidCredentials => (401, "INVALID_CREDENTIALS", "Invalid credentials."),
        HubErrorCode.UserNotFound or HubErrorCode.TenantNotFound => (404, "USER_NOT_FOUND", "User not found."),
        HubErrorCode.SessionNotFound => (404, "SESSION_NOT_FOUND", "Session not found."),
        HubErrorCode.PasswordChangeNotFound => (404, "PASSWORD_CHANGE_NOT_FOUND", "Password change not found."),
        // The admin API speaks v1 only; should one of its codes reach this dialect, it keeps its status.
        HubErrorCode.ClientNotFound => (404, "NOT_FOUND", "Not found."),
        HubErrorCode.AlreadyExists or HubErrorCode.ManagedByConfiguration or HubErrorCode.OwnClient or HubErrorCode.ConcurrentChange => (409, "CONFLICT", "The request conflicts with the current state."),
        HubErrorCode.NotGlobalAdmin => (403, "FORBIDDEN", "The credential may not perform this action."),
        HubErrorCode.AccountNotFound => (404, "USER_NOT_FOUND", "User not found."),
        HubErrorCode.UserExists => (409, "USER_EXISTS", "A user with this email already exists."),
        HubErrorCode.AccountDisabled => (403, "ACCOUNT_DISABLED", "The account is disabled."),
        HubErrorCode.PasswordChangeRequired => (403, "PASSWORD_CHANGE_REQUIRED", "The password must be changed first."),
        // Seed 002 has no policy denial or admin API; 403 is the honest status, with the notices as in the other dialects.
        HubErrorCode.ForbiddenByPolicy => (403, "FORBIDDEN_BY_POLICY", "The organization's policy does not allow this change."),
        HubErrorCode.NotAdminClient or HubErrorCode.InsufficientScope => (403, "FORBIDDEN", "The credential may not perform this action."),
        HubErrorCode.TooManyAttempts => (429, "TOO_MANY_ATTEMPTS", "Too many failed attempts. The account is temporarily locked."),
        HubErrorCode.RateLimited => (429, "RATE_LIMITED", "Too many requests. Try again later."),
        HubErrorCode.ServiceBusy => (503, "SERVICE_UNAVAILABLE", "The server is busy. Try again shortly."),
        HubErrorCode.DatabaseFailure => (500, "DATABASE_FAILURE", "A database operation failed."),
        HubErrorCode.HashFailure => (500, "HASH_FAILURE", "A hashing operation failed."),
        HubErrorCode.InvalidPrincipalDocument => (500, "INVALID_PRINCIPAL_DOCUMENT", "The stored user record is in an invalid format."),
        HubErrorCode.Internal => (500, "INTERNAL_ERROR", "An internal error occurred."),
        _ => throw Unmapped(code),
    };
}
