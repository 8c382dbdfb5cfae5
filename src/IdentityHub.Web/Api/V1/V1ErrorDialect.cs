using IdentityHub.Errors;

namespace IdentityHub.Web.Api.V1;

/// <summary>Maps core errors to seed 000's statuses and codes. The first error decides the response.</summary>
internal sealed class V1ErrorDialect : IErrorDialect
{
    public static V1ErrorDialect Instance { get; } = new();

    public IResult ToResult(IReadOnlyList<HubError> errors)
    {
        var error = errors[0];
        var (status, code, message) = error.Code switch
        {
            HubErrorCode.InvalidRequest => (400, "invalid_request", "The request is malformed."),
            HubErrorCode.UnsupportedMediaType => (415, "unsupported_media_type", "The request body must be JSON (Content-Type: application/json)."),
            HubErrorCode.InvalidCurrentPassword => (400, "invalid_current_password", "The current password is incorrect."),
            HubErrorCode.WeakPassword => (400, "weak_password", "The new password does not meet the password policy."),
            HubErrorCode.AuthenticationRequired => (401, "unauthenticated", "An access token is required."),
            HubErrorCode.AccessTokenExpired => (401, "unauthenticated", "The access token has expired."),
            HubErrorCode.Unauthenticated or HubErrorCode.UserNotFound => (401, "unauthenticated", "The access token is invalid."),
            HubErrorCode.TenantNotFound => (404, "not_found", "The tenant does not exist."),
            HubErrorCode.ForbiddenByPolicy => (403, "forbidden_by_policy", "The organization's policy does not allow this change."),
            HubErrorCode.TenantMismatch => (403, "tenant_mismatch", "The X-Tenant-ID header does not match the tenant of the credential."),
            HubErrorCode.NotLocalUser => (403, "not_local_user", "This account has no local password; it signs in through an external provider."),
            HubErrorCode.TooManyAttempts => (429, "too_many_attempts", "Too many failed attempts. The account is temporarily locked."),
            HubErrorCode.RateLimited => (429, "rate_limited", "Too many requests. Try again later."),
            HubErrorCode.ServiceBusy => (503, "service_unavailable", "The server is busy. Try again shortly."),
            _ => (500, "internal_error", "An internal error occurred."),
        };

        Dictionary<string, object?>? details = error.Code switch
        {
            HubErrorCode.WeakPassword => new() { ["rules"] = error.Rules },
            HubErrorCode.InvalidRequest => new() { ["field"] = error.Field, ["reason"] = error.Rules.FirstOrDefault() },
            HubErrorCode.TooManyAttempts or HubErrorCode.RateLimited or HubErrorCode.ServiceBusy when error.RetryAfterSeconds is { } retry => new() { ["retry_after_seconds"] = retry },
            _ => null,
        };
        return new DialectJsonResult(status, new V1ErrorBody(code, message, details, error.Notices), error);
    }
}
