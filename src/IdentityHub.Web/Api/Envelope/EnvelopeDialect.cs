using IdentityHub.Errors;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>
/// Seed 004: <c>current_password</c> and <c>new_password</c>, every answer in a <c>{code, message, data}</c> envelope.
/// Every problem with the two fields becomes one entry of a 400 "validation failed" (all of them at once),
/// credential problems a 401 "invalid token", failures a 500 "internal server error".
/// </summary>
internal sealed class EnvelopeDialect : AccountApiDialect
{
    public static EnvelopeDialect Instance { get; } = new();

    public override string Name => "envelope";

    private static readonly object Empty = new Dictionary<string, object>();

    /// <summary>Seed 004 knows only its two keys: an unusable locale concerns the new password's notification.</summary>
    public override string? FieldName(HubField field) => field switch
    {
        HubField.CurrentPassword => "current_password",
        HubField.NewPassword or HubField.Locale => "new_password",
        HubField.Tenant or HubField.Policies or HubField.Email or HubField.ResetToken => null,
        >= HubField.TenantName => null,   // the admin API's fields: that API speaks v1 only
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public override IResult ToResult(IReadOnlyList<HubError> errors)
    {
        var fieldErrors = errors.SelectMany(FieldErrors).ToList();
        if (fieldErrors.Count > 0)
        {
            return new DialectErrorResult(400, new EnvelopeResponse(400, "validation failed", new EnvelopeValidationData("validation_error", fieldErrors)), errors[0]);
        }
        var first = errors[0];
        var (status, message) = Describe(first.Code);
        // Seed 004 has no policy denial; 403 in its envelope, with the notices in data.
        var data = first.Code == HubErrorCode.ForbiddenByPolicy ? new Dictionary<string, object> { ["notices"] = first.Notices } : Empty;
        return new DialectErrorResult(status, new EnvelopeResponse(status, message, data), first);
    }

    /// <summary>The validation entries of one error; none for an error that is not about the two fields.</summary>
    private IEnumerable<EnvelopeFieldError> FieldErrors(HubError error) => error.Code switch
    {
        HubErrorCode.InvalidCurrentPassword => [new("current_password", "", "incorrect_password")],
        HubErrorCode.NotLocalUser => [new("current_password", "", "no_local_password")],
        HubErrorCode.WeakPassword => error.Rules.Select(rule => new EnvelopeFieldError("new_password", "", rule)),
        // A field-less problem (an unreadable body) concerns both fields.
        HubErrorCode.InvalidRequest => (FieldOf(error) is { } key ? [key] : new[] { "current_password", "new_password" })
            .SelectMany(key => error.Rules.Select(rule => new EnvelopeFieldError(key, "", rule))),
        _ => [],
    };

    private static (int Status, string Message) Describe(HubErrorCode code) => code switch
    {
        HubErrorCode.AuthenticationRequired or HubErrorCode.Unauthenticated or HubErrorCode.AccessTokenExpired
            or HubErrorCode.UserNotFound or HubErrorCode.TenantMismatch or HubErrorCode.InvalidCredentials
            or HubErrorCode.StepUpRequired or HubErrorCode.StepUpExpired or HubErrorCode.StepUpInvalid or HubErrorCode.StepUpMismatch => (401, "invalid token"),
        HubErrorCode.ForbiddenByPolicy => (403, "forbidden by policy"),
        HubErrorCode.NotAdminClient or HubErrorCode.InsufficientScope => (403, "forbidden"),
        HubErrorCode.TenantNotFound or HubErrorCode.SessionNotFound or HubErrorCode.ClientNotFound or HubErrorCode.AccountNotFound
            or HubErrorCode.PasswordChangeNotFound => (404, "not found"),
        // The admin API speaks v1 only; should one of its codes reach this dialect, it keeps its status.
        HubErrorCode.AlreadyExists or HubErrorCode.ManagedByConfiguration or HubErrorCode.OwnClient or HubErrorCode.ConcurrentChange => (409, "conflict"),
        HubErrorCode.NotGlobalAdmin => (403, "forbidden"),
        HubErrorCode.UserExists => (409, "conflict"),
        HubErrorCode.AccountDisabled => (403, "account disabled"),
        HubErrorCode.PasswordChangeRequired => (403, "password change required"),
        HubErrorCode.InvalidPolicies or HubErrorCode.InvalidDocument or HubErrorCode.ResetLinkInvalid => (400, "validation failed"),
        HubErrorCode.UnsupportedMediaType => (415, "unsupported media type"),
        HubErrorCode.TooManyAttempts => (429, "too many attempts"),
        HubErrorCode.RateLimited => (429, "too many requests"),
        HubErrorCode.ServiceBusy => (503, "service unavailable"),
        // Never field errors here (those became the 400 above), so only reached through another code's path.
        HubErrorCode.InvalidRequest or HubErrorCode.InvalidCurrentPassword or HubErrorCode.NotLocalUser or HubErrorCode.WeakPassword => (400, "validation failed"),
        HubErrorCode.DatabaseFailure or HubErrorCode.HashFailure or HubErrorCode.InvalidPrincipalDocument or HubErrorCode.Internal => (500, "internal server error"),
        _ => throw Unmapped(code),
    };
}
