using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.PasswordResets;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// Forgotten passwords in the v1 dialect: <c>POST /v1/password-resets</c> sends a reset link (202, the same answer for
/// any email), <c>POST /v1/password-resets/confirm</c> sets a new password with the link's token (204). No access token:
/// the tenant comes from <c>X-Tenant-ID</c>, errors are seed 000's.
/// </summary>
internal static class V1PasswordResetEndpoints
{
    public static RouteGroupBuilder MapV1PasswordResets(this RouteGroupBuilder v1)
    {
        v1.MapPost("/password-resets", RequestAsync)
            .WithName("V1RequestPasswordReset")
            .WithSummary("Email a single-use password reset link; the answer is the same whether or not the email has an account")
            .DocumentJsonBody<V1PasswordResetRequest>()
            .Produces(StatusCodes.Status202Accepted)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests)
            .Produces<V1ErrorBody>(StatusCodes.Status500InternalServerError);
        v1.MapPost("/password-resets/confirm", ConfirmAsync)
            .WithName("V1ConfirmPasswordReset")
            .WithSummary("Set a new password with the token of a reset link; ends every session and token of the user")
            .DocumentJsonBody<V1PasswordResetConfirmRequest>()
            .Produces(StatusCodes.Status204NoContent)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<V1ErrorBody>(StatusCodes.Status503ServiceUnavailable)
            .Produces<V1ErrorBody>(StatusCodes.Status500InternalServerError);
        return v1;
    }

    private static async Task<IResult> RequestAsync(HttpContext context, PasswordResetService resets)
    {
        var read = await ReadAsync(context);
        if (!read.Succeeded)
        {
            return V1Dialect.Instance.ToResult(read.Errors);
        }
        var (tenantId, locale, body) = read.Value;
        var (email, problem) = JsonBody.GetString(body, "email");
        if (problem is not null)
        {
            return V1Dialect.Instance.ToResult([new HubError(HubErrorCode.InvalidRequest, HubField.Email, [problem])]);
        }
        var result = await resets.RequestAsync(new PasswordResetRequest(tenantId, email, HttpOrigin.From(context, null, null))
        {
            Locale = locale,
            PreferredLocales = HttpOrigin.AcceptLanguages(context),
            Issuer = HttpOrigin.Issuer(context),
        }, context.RequestAborted);
        return result.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : V1Dialect.Instance.ToResult(result.Errors);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext context, PasswordResetService resets)
    {
        var read = await ReadAsync(context);
        if (!read.Succeeded)
        {
            return V1Dialect.Instance.ToResult(read.Errors);
        }
        var (tenantId, locale, body) = read.Value;
        var (token, tokenProblem) = JsonBody.GetString(body, "token");
        var (password, passwordProblem) = JsonBody.GetPassword(body, "new_password");
        if (tokenProblem is not null || passwordProblem is not null)
        {
            return V1Dialect.Instance.ToResult([tokenProblem is not null
                ? new HubError(HubErrorCode.InvalidRequest, HubField.ResetToken, [tokenProblem])
                : new HubError(HubErrorCode.InvalidRequest, HubField.NewPassword, [passwordProblem!])]);
        }
        var result = await resets.ResetAsync(new PasswordResetConfirmation(token, password!, HttpOrigin.From(context, null, null))
        {
            TenantId = tenantId,
            Locale = locale,
            PreferredLocales = HttpOrigin.AcceptLanguages(context),
            Issuer = HttpOrigin.Issuer(context),
            Dialect = V1Dialect.Instance.Name,
        }, context.RequestAborted);
        return V1Dialect.Instance.Answer(result, _ => Results.NoContent());
    }

    /// <summary>What both endpoints read first, in the order of the change endpoint: <c>X-Tenant-ID</c>, <c>locale</c>, the JSON body.</summary>
    private static async Task<HubResult<(Guid TenantId, string? Locale, JsonElement Body)>> ReadAsync(HttpContext context)
    {
        var tenant = V1Dialect.ReadTenant(context);
        if (!tenant.Succeeded)
        {
            return HubResult<(Guid, string?, JsonElement)>.FailedLike(tenant);
        }
        if (!LocaleParameter.TryNormalize(context.Request.Query["locale"].ToString(), out var locale))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Locale, ["invalid_locale"]);
        }
        var body = await JsonBody.ReadObjectAsync(context.Request);
        return body.Succeeded ? (tenant.Value, locale, body.Value) : HubResult<(Guid, string?, JsonElement)>.FailedLike(body);
    }
}
