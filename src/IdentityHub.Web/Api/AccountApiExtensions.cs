using IdentityHub.Web.Api.Envelope;
using IdentityHub.Web.Api.StepUp;
using IdentityHub.Web.Api.V1;
using Scalar.AspNetCore;

namespace IdentityHub.Web.Api;

/// <summary>The account API: the change-password endpoints in three dialects, their callers, limits and description.</summary>
internal static class AccountApiExtensions
{
    /// <summary>Bearer-token callers, the per-caller rate limit (<c>IdentityHub:RateLimiting</c>) and the OpenAPI document.</summary>
    public static IServiceCollection AddAccountApi(this IServiceCollection services)
    {
        services.AddScoped<AccessTokenAuthenticator>();
        services.AddAccountApiRateLimiting();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "IdentityHub account API";
            document.Info.Description = "Change-password API in three dialects (seeds 000, 002, 004).";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>The endpoints of seeds 000 (v1), 002 (step-up) and 004 (envelope), the OpenAPI document, and in Development its reference UI.</summary>
    public static WebApplication MapAccountApi(this WebApplication app)
    {
        app.MapV1PasswordApi();
        app.MapStepUpPasswordApi();
        app.MapEnvelopePasswordApi();
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }
        return app;
    }
}
