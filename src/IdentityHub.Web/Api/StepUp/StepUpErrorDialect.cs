using IdentityHub.Errors;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>
/// Maps core errors to seed 002's statuses and codes. Where a step-up token is missing or no longer good, the
/// response carries the RFC 9470 challenge so the client knows to re-authenticate the user.
/// </summary>
internal sealed class StepUpErrorDialect(TimeSpan stepUpLifetime) : IErrorDialect
{
    public IResult ToResult(IReadOnlyList<HubError> errors)
    {
        var error = errors[0];
        var (status, code, message) = error.Code switch
        {
            HubErrorCode.InvalidRequest => (400, "VALIDATION_ERROR", "The request is malformed."),
            HubErrorCode.UnsupportedMediaType => (415, "UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON (Content-Type: application/json)."),
            HubErrorCode.WeakPassword => (400, "VALIDATION_ERROR", "The new password does not meet the password policy."),
            HubErrorCode.NotLocalUser => (400, "NO_PASSWORD_PROVIDER", "The user needs to set a password to perform this action."),
            HubErrorCode.AuthenticationRequired => (401, "AUTHENTICATION_REQUIRED", "User is not authenticated."),
            HubErrorCode.AccessTokenExpired => (401, "ACCESS_TOKEN_EXPIRED", "The access token is expired."),
            HubErrorCode.Unauthenticated or HubErrorCode.TenantMismatch => (401, "ACCESS_TOKEN_INVALID", "The access token cannot be decoded or is no longer valid."),
            HubErrorCode.StepUpRequired => (401, "STEP_UP_TOKEN_MISSING", "A step-up token is required."),
            HubErrorCode.StepUpExpired => (401, "STEP_UP_TOKEN_EXPIRED", "The step-up token is expired."),
            HubErrorCode.StepUpInvalid => (401, "STEP_UP_TOKEN_INVALID", "The step-up token cannot be decoded or was already used."),
            HubErrorCode.StepUpMismatch or HubErrorCode.InvalidCurrentPassword => (401, "INVALID_CREDENTIALS", "Invalid credentials."),
            HubErrorCode.UserNotFound => (404, "USER_NOT_FOUND", "User not found."),
            // Seed 002 has no policy denial; 403 is the honest status, with the notices as in the other dialects.
            HubErrorCode.ForbiddenByPolicy => (403, "FORBIDDEN_BY_POLICY", "The organization's policy does not allow this change."),
            HubErrorCode.TooManyAttempts => (429, "TOO_MANY_ATTEMPTS", "Too many failed attempts. The account is temporarily locked."),
            HubErrorCode.RateLimited => (429, "RATE_LIMITED", "Too many requests. Try again later."),
            HubErrorCode.ServiceBusy => (503, "SERVICE_UNAVAILABLE", "The server is busy. Try again shortly."),
            HubErrorCode.DatabaseFailure => (500, "DATABASE_FAILURE", "A database operation failed."),
            HubErrorCode.HashFailure => (500, "HASH_FAILURE", "A hashing operation failed."),
            HubErrorCode.InvalidPrincipalDocument => (500, "INVALID_PRINCIPAL_DOCUMENT", "The stored user record is in an invalid format."),
            _ => (500, "INTERNAL_ERROR", "An internal error occurred."),
        };

        var body = error.Code switch
        {
            HubErrorCode.WeakPassword => new StepUpErrorBody(code, message, error.Field ?? "password", error.Rules),
            HubErrorCode.InvalidRequest => new StepUpErrorBody(code, message, error.Field, error.Rules),
            HubErrorCode.ForbiddenByPolicy => new StepUpErrorBody(code, message, Notices: error.Notices),
            _ => new StepUpErrorBody(code, message),
        };
        var challenge = error.Code is HubErrorCode.StepUpRequired or HubErrorCode.StepUpExpired or HubErrorCode.StepUpInvalid or HubErrorCode.StepUpMismatch
            ? $"Bearer error=\"insufficient_user_authentication\", error_description=\"{message}\", max_age={(long)stepUpLifetime.TotalSeconds}"
            : null;
        return new DialectJsonResult(status, body, error, challenge);
    }
}
