using IdentityHub.Errors;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>
/// Maps core errors to seed 004: every problem with the two fields becomes one entry of a 400 "validation failed"
/// (all of them at once), credential problems a 401 "invalid token", failures a 500 "internal server error".
/// </summary>
internal sealed class EnvelopeErrorDialect : IErrorDialect
{
    public static EnvelopeErrorDialect Instance { get; } = new();

    private static readonly object Empty = new Dictionary<string, object>();

    public IResult ToResult(IReadOnlyList<HubError> errors)
    {
        var fieldErrors = new List<EnvelopeFieldError>();
        foreach (var error in errors)
        {
            switch (error.Code)
            {
                case HubErrorCode.InvalidCurrentPassword:
                    fieldErrors.Add(new EnvelopeFieldError("current_password", "", "incorrect_password"));
                    break;
                case HubErrorCode.NotLocalUser:
                    fieldErrors.Add(new EnvelopeFieldError("current_password", "", "no_local_password"));
                    break;
                case HubErrorCode.WeakPassword:
                    fieldErrors.AddRange(error.Rules.Select(rule => new EnvelopeFieldError("new_password", "", rule)));
                    break;
                case HubErrorCode.InvalidRequest:
                    // A field-less problem (unreadable body) concerns both fields.
                    foreach (var key in error.Field is null ? ["current_password", "new_password"] : new[] { error.Field })
                    {
                        fieldErrors.AddRange(error.Rules.Select(rule => new EnvelopeFieldError(key, "", rule)));
                    }
                    break;
            }
        }
        if (fieldErrors.Count > 0)
        {
            return new DialectJsonResult(400, new EnvelopeResponse(400, "validation failed", new EnvelopeValidationData("validation_error", fieldErrors)), errors[0]);
        }

        var first = errors[0];
        if (first.Code == HubErrorCode.ForbiddenByPolicy)
        {
            // Seed 004 has no policy denial; 403 in its envelope, with the notices in data.
            return new DialectJsonResult(403, new EnvelopeResponse(403, "forbidden by policy",
                new Dictionary<string, object> { ["notices"] = first.Notices }), first);
        }
        var (status, message) = first.Code switch
        {
            HubErrorCode.AuthenticationRequired or HubErrorCode.Unauthenticated or HubErrorCode.AccessTokenExpired
                or HubErrorCode.UserNotFound or HubErrorCode.TenantMismatch => (401, "invalid token"),
            HubErrorCode.UnsupportedMediaType => (415, "unsupported media type"),
            HubErrorCode.TooManyAttempts => (429, "too many attempts"),
            HubErrorCode.RateLimited => (429, "too many requests"),
            HubErrorCode.ServiceBusy => (503, "service unavailable"),
            _ => (500, "internal server error"),
        };
        return new DialectJsonResult(status, new EnvelopeResponse(status, message, Empty), first);
    }
}
