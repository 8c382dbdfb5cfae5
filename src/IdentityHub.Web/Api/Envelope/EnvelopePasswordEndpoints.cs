using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Web.Hosting;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>Seed 004: <c>POST /api/me/change-password</c>, every answer in a <c>{code, message, data}</c> envelope.</summary>
internal static class EnvelopePasswordEndpoints
{
    private static readonly EnvelopeResponse Changed = new(200, "password changed successfully", new Dictionary<string, object>());

    public static IEndpointRouteBuilder MapEnvelopePasswordApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/me")
            .WithMetadata(EnvelopeErrorDialect.Instance)
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags("envelope");

        api.MapPost("/change-password", ChangePasswordAsync)
            .WithName("EnvelopeChangePassword")
            .WithSummary("Change current user password")
            .DocumentJsonBody<EnvelopeChangePasswordRequest>()
            .Produces<EnvelopeResponse>(StatusCodes.Status200OK)
            .Produces<EnvelopeResponse>(StatusCodes.Status400BadRequest)
            .Produces<EnvelopeResponse>(StatusCodes.Status401Unauthorized)
            .Produces<EnvelopeResponse>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<EnvelopeResponse>(StatusCodes.Status500InternalServerError);
        return app;
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, AccessTokenAuthenticator authenticator, ChangePasswordService passwords)
    {
        var dialect = EnvelopeErrorDialect.Instance;
        var (caller, authError) = await authenticator.AuthenticateAsync(context);
        if (caller is null)
        {
            return dialect.ToResult([authError!]);
        }

        if (!LocaleParameter.TryNormalize(context.Request.Query["locale"].ToString(), out var locale))
        {
            // Seed 004 knows only its two keys; an unusable locale concerns the new password's notification.
            return dialect.ToResult([new HubError(HubErrorCode.InvalidRequest, "new_password", ["invalid_locale"])]);
        }

        var (body, bodyError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is not { } json)
        {
            return dialect.ToResult([bodyError!]);
        }
        // Both fields are checked before answering, so every problem is reported at once.
        var (current, currentProblem) = JsonBody.GetPassword(json, "current_password");
        var (next, nextProblem) = JsonBody.GetPassword(json, "new_password");
        var problems = new List<HubError>();
        if (currentProblem is not null || string.IsNullOrEmpty(current))
        {
            problems.Add(new HubError(HubErrorCode.InvalidRequest, "current_password", [currentProblem ?? "required"]));
        }
        if (nextProblem is not null)
        {
            problems.Add(new HubError(HubErrorCode.InvalidRequest, "new_password", [nextProblem]));
        }
        if (problems.Count > 0)
        {
            return dialect.ToResult(problems);
        }

        var result = await passwords.ChangeAsync(HttpOrigin.PasswordChange(context, caller, current, next!, locale), context.RequestAborted);
        return result.Succeeded ? Results.Json(Changed) : dialect.ToResult(result.Errors);
    }
}
