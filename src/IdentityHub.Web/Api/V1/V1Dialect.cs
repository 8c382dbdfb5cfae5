using IdentityHub.Errors;
using IdentityHub.StepUp;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// Seed 000: <c>current_password</c> and <c>new_password</c>, the <c>X-Tenant-ID</c> header, errors as
/// <c>{code, message, details?, notices}</c> with one status per code. The first error decides the response.
/// </summary>
internal sealed class V1Dialect : AccountApiDialect
{
    public const string TenantHeader = "X-Tenant-ID";

    public static V1Dialect Instance { get; } = new();

    public override string Name => "v1";

    public override string FieldName(HubField field) => field switch
    {
        HubField.CurrentPassword => "current_password",
        HubField.NewPassword => "new_password",
        HubField.Locale => "locale",
        HubField.Tenant => TenantHeader,
        HubField.Policies => "policies",
        HubField.Email => "email",
        HubField.ResetToken => "token",
        HubField.TenantName => "name",
        HubField.DefaultLocale => "default_locale",
        HubField.PasswordPolicy => "password_policy",
        HubField.Attributes => "attributes",
        HubField.TenantId => "tenant_id",
        HubField.ClientId => "client_id",
        HubField.ClientType => "type",
        HubField.GrantTypes => "grant_types",
        HubField.RedirectUris => "redirect_uris",
        HubField.PostLogoutRedirectUris => "post_logout_redirect_uris",
        HubField.AllowedOrigins => "allowed_origins",
        HubField.BackchannelLogoutUri => "backchannel_logout_uri",
        HubField.Scopes => "scopes",
        HubField.UserId => "user_id",
        HubField.DisplayName => "display_name",
        HubField.Roles => "roles",
        HubField.Password => "password",
        HubField.Invite => "invite",
        HubField.Page => "page",
        HubField.PageSize => "size",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>The <c>X-Tenant-ID</c> header must name the tenant of the access token (compared as UUIDs: letter case does not matter).</summary>
    public override ValueTask<HubResult<StepUpProof?>> CheckCallerAsync(HttpContext context, Caller caller)
    {
        var tenant = ReadTenant(context);
        return ValueTask.FromResult(
            !tenant.Succeeded ? HubResult<StepUpProof?>.FailedLike(tenant)
            : tenant.Value != caller.TenantId ? HubResult<StepUpProof?>.Failed(HubErrorCode.TenantMismatch)
            : NoProof);
    }

    /// <summary>The tenant named by the <c>X-Tenant-ID</c> header: exactly one header holding a UUID.</summary>
    public static HubResult<Guid> ReadTenant(HttpContext context)
    {
        var header = context.Request.Headers[TenantHeader];
        return header.Count == 1 && Guid.TryParseExact(header[0], "D", out var tenantId)
            ? tenantId
            : new HubError(HubErrorCode.InvalidRequest, HubField.Tenant, [header.Count == 0 ? "required" : "must_be_uuid"]);
    }

    public override IResult ToResult(IReadOnlyList<HubError> errors)
    {
        var (status, body) = Describe(errors[0]);
        return new DialectErrorResult(status, body, errors[0]);
    }

    /// <summary>The HTTP status and v1 error body of a failure (the command line prints the same body).</summary>
    public (int Status, V1ErrorBody Body) Describe(HubError error)
    {
        var (status, code, message) = Describe(error.Code);
        Dictionary<string, object?>? details = error.Code switch
        {
            HubErrorCode.WeakPassword => new() { ["rules"] = error.Rules },
            HubErrorCode.InvalidRequest or HubErrorCode.InvalidPolicies => new() { ["field"] = FieldOf(error), ["reason"] = error.Rules.FirstOrDefault() },
            HubErrorCode.InvalidDocument or HubErrorCode.ResetLinkInvalid => new() { ["reason"] = error.Rules.FirstOrDefault() },
            HubErrorCode.TooManyAttempts or HubErrorCode.RateLimited or HubErrorCode.ServiceBusy when error.RetryAfterSeconds is { } retry => new() { ["retry_after_seconds"] = retry },
            _ => null,
        };
        foreach (var (key, value) in error.Context ?? new Dictionary<string, object?>())
        {
            (details ??= [])[key] = value;
        }
        return (status, new V1ErrorBody(code, message, details, error.Notices));
    }

    private static (int Status, string Code, string Message) Describe(HubErrorCode code) => code switch
    {
        HubErrorCode.InvalidRequest => (400, "invalid_request", "The request is malformed."),
        HubErrorCode.UnsupportedMediaType => (415, "unsupported_media_type", "The request body must be JSON (Content-Type: application/json)."),
        HubErrorCode.InvalidCurrentPassword => (400, "invalid_current_password", "The current password is incorrect."),
        HubErrorCode.WeakPassword => (400, "weak_password", "The new password does not meet the password policy."),
        HubErrorCode.AuthenticationRequired => (401, "unauthenticated", "An access token is required."),
        HubErrorCode.AccessTokenExpired => (401, "unauthenticated", "The access token has expired."),
        HubErrorCode.Unauthenticated or HubErrorCode.UserNotFound => (401, "unauthenticated", "The access token is invalid."),
        // Seed 000 has no step-up token or sign-in; should one of these reach it, the credential is what failed.
        HubErrorCode.StepUpRequired or HubErrorCode.StepUpExpired or HubErrorCode.StepUpInvalid or HubErrorCode.StepUpMismatch
            or HubErrorCode.InvalidCredentials => (401, "unauthenticated", "The credentials are invalid."),
        HubErrorCode.TenantNotFound => (404, "not_found", "The tenant does not exist."),
        HubErrorCode.SessionNotFound => (404, "not_found", "No active session of yours has this id."),
        HubErrorCode.PasswordChangeNotFound => (404, "not_found", "No password change of this account has this id."),
        HubErrorCode.ClientNotFound => (404, "not_found", "The client does not exist."),
        HubErrorCode.AlreadyExists => (409, "already_exists", "A tenant or client with this id already exists."),
        HubErrorCode.ManagedByConfiguration => (409, "managed_by_configuration", "This item is defined by the seed configuration (IdentityHub:Seed); change it there."),
        HubErrorCode.NotGlobalAdmin => (403, "forbidden", "Only an administrator client bound to no tenant may do this."),
        HubErrorCode.OwnClient => (409, "own_client", "An administrator client cannot delete or demote the client it calls with."),
        HubErrorCode.ConcurrentChange => (409, "conflict", "The item was changed by another request at the same time; read it again and retry."),
        HubErrorCode.AccountNotFound => (404, "not_found", "The user does not exist."),
        HubErrorCode.UserExists => (409, "user_exists", "A user with this email already exists in the tenant."),
        HubErrorCode.AccountDisabled => (403, "account_disabled", "The account is disabled."),
        HubErrorCode.PasswordChangeRequired => (403, "password_change_required", "The password must be changed first."),
        HubErrorCode.ResetLinkInvalid => (400, "invalid_reset_token", "The reset link is not valid: expired, already used, replaced by a newer one, or not a link of ours."),
        HubErrorCode.ForbiddenByPolicy => (403, "forbidden_by_policy", "The organization's policy does not allow this change."),
        HubErrorCode.TenantMismatch => (403, "tenant_mismatch", "The X-Tenant-ID header does not match the tenant of the credential."),
        HubErrorCode.NotLocalUser => (403, "not_local_user", "This account has no local password; it signs in through an external provider."),
        HubErrorCode.NotAdminClient => (403, "forbidden", "This endpoint is for client-credentials tokens of administrator clients."),
        HubErrorCode.InsufficientScope => (403, "insufficient_scope", "This endpoint needs an access token with the admin scope."),
        HubErrorCode.InvalidPolicies => (400, "invalid_request", "The policies do not parse."),
        HubErrorCode.InvalidDocument => (400, "invalid_request", "The request document is not valid."),
        HubErrorCode.TooManyAttempts => (429, "too_many_attempts", "Too many failed attempts. The account is temporarily locked."),
        HubErrorCode.RateLimited => (429, "rate_limited", "Too many requests. Try again later."),
        HubErrorCode.ServiceBusy => (503, "service_unavailable", "The server is busy. Try again shortly."),
        HubErrorCode.DatabaseFailure or HubErrorCode.HashFailure or HubErrorCode.InvalidPrincipalDocument or HubErrorCode.Internal
            => (500, "internal_error", "An internal error occurred."),
        _ => throw Unmapped(code),
    };
}
