using IdentityHub.PasswordChanges;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>Seed 004: <c>POST /api/me/change-password</c>, every answer in a <c>{code, message, data}</c> envelope.</summary>
internal static class EnvelopeEndpoints
{
    private static readonly EnvelopeResponse Changed = new(200, "password changed successfully", new Dictionary<string, object>());

    public static IEndpointRouteBuilder MapEnvelopeApi(this IEndpointRouteBuilder app)
    {
        app.MapAccountApiGroup("/api/me", EnvelopeDialect.Instance, "envelope")
            .MapPost("/change-password", ChangePasswordAsync)
            .WithName("EnvelopeChangePassword")
            .WithSummary("Change current user password")
            .DocumentJsonBody<EnvelopeChangePasswordRequest>()
            .Produces<EnvelopeResponse>(StatusCodes.Status200OK)
            .DocumentPasswordChangeId(StatusCodes.Status200OK)
            .Produces<EnvelopeResponse>(StatusCodes.Status400BadRequest)
            .Produces<EnvelopeResponse>(StatusCodes.Status401Unauthorized)
            .Produces<EnvelopeResponse>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<EnvelopeResponse>(StatusCodes.Status500InternalServerError);
        return app;
    }

    private static async Task<IResult> ChangePasswordAsync(AccountRequest request, ChangePasswordService passwords, CancellationToken cancellationToken) =>
        request.Dialect.Answer(await passwords.ChangeAsync(request.Change, cancellationToken), changed => PasswordChangeIdHeader.With(Results.Json(Changed), changed));
}
