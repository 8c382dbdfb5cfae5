using IdentityHub.PasswordChanges;
using IdentityHub.StepUp;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>Seed 002: <c>PUT /api/users/me/password</c>, proven by a step-up token instead of the current password.</summary>
internal static class StepUpEndpoints
{
    public static IEndpointRouteBuilder MapStepUpApi(this IEndpointRouteBuilder app)
    {
        var dialect = new StepUpDialect(app.ServiceProvider.GetRequiredService<IOptions<StepUpOptions>>().Value.Lifetime);
        app.MapAccountApiGroup("/api/users/me", dialect, "step-up")
            .MapPut("/password", ChangePasswordAsync)
            .WithName("StepUpChangePassword")
            .WithSummary("Change the password of the currently authenticated user (step-up token required)")
            .DocumentJsonBody<StepUpChangePasswordRequest>()
            .Produces<StepUpUserResponse>(StatusCodes.Status200OK)
            .DocumentPasswordChangeId(StatusCodes.Status200OK)
            .Produces<StepUpErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<StepUpErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<StepUpErrorBody>(StatusCodes.Status404NotFound)
            .Produces<StepUpErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<StepUpErrorBody>(StatusCodes.Status500InternalServerError);
        return app;
    }

    private static async Task<IResult> ChangePasswordAsync(AccountRequest request, ChangePasswordService passwords, CancellationToken cancellationToken) =>
        request.Dialect.Answer(await passwords.ChangeAsync(request.Change, cancellationToken), changed => PasswordChangeIdHeader.With(Results.Ok(StepUpUserResponse.From(changed.User)), changed));
}
