using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;

namespace IdentityHub.Web.Api.V1;

/// <summary>Seed 000: <c>POST /v1/users/me/password</c> with <c>X-Tenant-ID</c>, the tenant's password policy, and password resets.</summary>
internal static class V1Endpoints
{
    public static IEndpointRouteBuilder MapV1Api(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapAccountApiGroup("/v1", V1Dialect.Instance, "v1");
        v1.MapPost("/users/me/password", ChangePasswordAsync)
            .WithName("V1ChangePassword")
            .WithSummary("Change the current user's password (local auth only)")
            .DocumentJsonBody<V1ChangePasswordRequest>()
            .Produces(StatusCodes.Status204NoContent)
            .DocumentPasswordChangeId(StatusCodes.Status204NoContent, location: true)
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
        v1.MapV1PasswordResets();
        v1.MapV1Sessions();
        v1.MapV1PasswordChanges();
        v1.MapV1EmailVerifications();
        return app;
    }

    private static async Task<IResult> ChangePasswordAsync(AccountRequest request, ChangePasswordService passwords, CancellationToken cancellationToken) =>
        request.Dialect.Answer(await passwords.ChangeAsync(request.Change, cancellationToken), changed => PasswordChangeIdHeader.With(Results.NoContent(), changed, location: true));

    private static async Task<IResult> GetPolicyAsync(HttpContext context, TenantService tenants)
    {
        var tenantId = V1Dialect.ReadTenant(context);
        var tenant = tenantId.Succeeded ? await tenants.FindAsync(tenantId.Value, context.RequestAborted) : null;
        return !tenantId.Succeeded ? V1Dialect.Instance.ToResult(tenantId.Errors)
            : tenant is null ? V1Dialect.Instance.ToResult([new HubError(HubErrorCode.TenantNotFound)])
            : Results.Ok(new V1PasswordPolicyResponse(tenant.Id, PasswordPolicy.Resolve(tenant.PasswordPolicy)));
    }
}
