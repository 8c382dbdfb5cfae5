using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.StepUp;
using IdentityHub.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>Seed 002: <c>PUT /api/users/me/password</c>, proven by a step-up token instead of the current password.</summary>
internal static class StepUpPasswordEndpoints
{
    public const string StepUpHeader = "X-Step-Up-Token";

    public static IEndpointRouteBuilder MapStepUpPasswordApi(this IEndpointRouteBuilder app)
    {
        var dialect = new StepUpErrorDialect(app.ServiceProvider.GetRequiredService<IOptions<StepUpOptions>>().Value.Lifetime);
        var api = app.MapGroup("/api/users/me")
            .WithMetadata(dialect)
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags("step-up");

        api.MapPut("/password", (HttpContext context, AccessTokenAuthenticator authenticator, StepUpTokenService stepUps,
                ChangePasswordService passwords, UserManager<HubUser> users) => ChangePasswordAsync(context, dialect, authenticator, stepUps, passwords, users))
            .WithName("StepUpChangePassword")
            .WithSummary("Change the password of the currently authenticated user (step-up token required)")
            .DocumentJsonBody<StepUpChangePasswordRequest>()
            .Produces<StepUpUserResponse>(StatusCodes.Status200OK)
            .Produces<StepUpErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<StepUpErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<StepUpErrorBody>(StatusCodes.Status404NotFound)
            .Produces<StepUpErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<StepUpErrorBody>(StatusCodes.Status500InternalServerError);
        return app;
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, StepUpErrorDialect dialect, AccessTokenAuthenticator authenticator,
        StepUpTokenService stepUps, ChangePasswordService passwords, UserManager<HubUser> users)
    {
        var (caller, authError) = await authenticator.AuthenticateAsync(context);
        if (caller is null)
        {
            return dialect.ToResult([authError!]);
        }

        var (status, proof) = await stepUps.ValidateAsync(context.Request.Headers[StepUpHeader].ToString(), HttpOrigin.Issuer(context).AbsoluteUri);
        if (proof is null)
        {
            return dialect.ToResult([new HubError(status switch
            {
                StepUpTokenStatus.Missing => HubErrorCode.StepUpRequired,
                StepUpTokenStatus.Expired => HubErrorCode.StepUpExpired,
                _ => HubErrorCode.StepUpInvalid,
            })]);
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
        var (password, passwordProblem) = JsonBody.GetPassword(json, "password");
        if (passwordProblem is not null)
        {
            return dialect.ToResult([new HubError(HubErrorCode.InvalidRequest, "password", [passwordProblem])]);
        }

        var change = HttpOrigin.PasswordChange(context, caller, null, password!, locale) with { StepUp = proof };
        var result = await passwords.ChangeAsync(change, context.RequestAborted);
        if (!result.Succeeded)
        {
            return dialect.ToResult(result.Errors);
        }
        var user = await users.FindByIdAsync(caller.UserId.ToString());
        return user is null ? dialect.ToResult([new HubError(HubErrorCode.UserNotFound)]) : Results.Ok(StepUpUserResponse.From(user));
    }
}
