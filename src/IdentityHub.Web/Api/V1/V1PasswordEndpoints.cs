using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using IdentityHub.Web.Hosting;

namespace IdentityHub.Web.Api.V1;

/// <summary>Seed 000: <c>POST /v1/users/me/password</c> with <c>X-Tenant-ID</c>.</summary>
internal static class V1PasswordEndpoints
{
    public const string TenantHeader = "X-Tenant-ID";

    public static IEndpointRouteBuilder MapV1PasswordApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1")
            .WithMetadata(V1ErrorDialect.Instance)
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags("v1");

        v1.MapPost("/users/me/password", ChangePasswordAsync)
            .WithName("V1ChangePassword")
            .WithSummary("Change the current user's password (local auth only)")
            .DocumentJsonBody<V1ChangePasswordRequest>()
            .Produces(StatusCodes.Status204NoContent)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests)
            .Produces<V1ErrorBody>(StatusCodes.Status500InternalServerError);
        v1.MapGet("/password-policy", GetPolicyAsync)
            .WithName("V1PasswordPolicy")
            .WithSummary("The tenant's password policy (rules, lengths, presets), readable without a token")
            .Produces<V1PasswordPolicyResponse>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetPolicyAsync(HttpContext context, TenantService tenants)
    {
        var dialect = V1ErrorDialect.Instance;
        if (ParseTenantHeader(context) is { } problem)
        {
            return dialect.ToResult([problem]);
        }
        var tenantId = Guid.ParseExact(context.Request.Headers[TenantHeader][0]!, "D");
        var tenant = await tenants.FindAsync(tenantId, context.RequestAborted);
        return tenant is null
            ? dialect.ToResult([new HubError(HubErrorCode.TenantNotFound)])
            : Results.Ok(new V1PasswordPolicyResponse(tenant.Id, PasswordPolicy.Resolve(tenant.PasswordPolicy)));
    }

    /// <summary>The X-Tenant-ID problem, if any: exactly one header holding a UUID.</summary>
    private static HubError? ParseTenantHeader(HttpContext context)
    {
        var header = context.Request.Headers[TenantHeader];
        return header.Count != 1 || !Guid.TryParseExact(header[0], "D", out _)
            ? new HubError(HubErrorCode.InvalidRequest, TenantHeader, [header.Count == 0 ? "required" : "must_be_uuid"])
            : null;
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, AccessTokenAuthenticator authenticator, ChangePasswordService passwords)
    {
        var dialect = V1ErrorDialect.Instance;
        var (caller, authError) = await authenticator.AuthenticateAsync(context);
        if (caller is null)
        {
            return dialect.ToResult([authError!]);
        }

        if (ParseTenantHeader(context) is { } problem)
        {
            return dialect.ToResult([problem]);
        }
        var tenantId = Guid.ParseExact(context.Request.Headers[TenantHeader][0]!, "D");
        // Compared as UUIDs, so letter case does not matter; the tenant id is not a secret.
        if (tenantId != caller.TenantId)
        {
            return dialect.ToResult([new HubError(HubErrorCode.TenantMismatch)]);
        }

        if (!LocaleParameter.TryNormalize(context.Request.Query["locale"].ToString(), out var locale))
        {
            return dialect.ToResult([new HubError(HubErrorCode.InvalidRequest, "locale", ["invalid_locale"])]);
        }

        var (body, bodyError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is not { } json)
        {
            return dialect.ToResult([bodyError!]);
        }
        var (current, currentProblem) = JsonBody.GetPassword(json, "current_password");
        var (next, nextProblem) = JsonBody.GetPassword(json, "new_password");
        if (currentProblem is not null || string.IsNullOrEmpty(current))
        {
            return dialect.ToResult([new HubError(HubErrorCode.InvalidRequest, "current_password", [currentProblem ?? "required"])]);
        }
        if (nextProblem is not null)
        {
            return dialect.ToResult([new HubError(HubErrorCode.InvalidRequest, "new_password", [nextProblem])]);
        }

        var result = await passwords.ChangeAsync(HttpOrigin.PasswordChange(context, caller, current, next!, locale), context.RequestAborted);
        return result.Succeeded ? Results.NoContent() : dialect.ToResult(result.Errors);
    }
}
