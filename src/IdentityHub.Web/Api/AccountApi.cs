using IdentityHub.Web.Api.Envelope;
using IdentityHub.Web.Api.StepUp;
using IdentityHub.Web.Api.V1;
using Scalar.AspNetCore;

namespace IdentityHub.Web.Api;

/// <summary>
/// The account API: the change-password endpoints in three dialects (seeds 000, 002, 004), one route group per
/// dialect with its own mapper, over one core; their callers, limits and description.
/// </summary>
internal static class AccountApi
{
    /// <summary>Bearer-token callers, the per-caller rate limit (<c>IdentityHub:RateLimiting</c>) and the OpenAPI document.</summary>
    public static IServiceCollection AddAccountApi(this IServiceCollection services)
    {
        services.AddScoped<AccessTokenAuthenticator>();
        services.AddAccountApiRateLimiting();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "IdentityHub account API";
            document.Info.Description = "Change-password API in three dialects (seeds 000, 002, 004), and forgotten-password resets (v1).";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>The endpoints of seeds 000 (v1), 002 (step-up) and 004 (envelope), the OpenAPI document, and in Development its reference UI.</summary>
    public static WebApplication MapAccountApi(this WebApplication app)
    {
        app.MapV1Api();
        app.MapStepUpApi();
        app.MapEnvelopeApi();
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }
        return app;
    }

    /// <summary>
    /// The route group of one dialect: the dialect as metadata, the per-caller rate limit, no antiforgery (bearer
    /// tokens, no cookies), and the filter that answers a refused <see cref="AccountRequest"/> in the dialect's shape.
    /// </summary>
    public static RouteGroupBuilder MapAccountApiGroup(this IEndpointRouteBuilder app, string prefix, AccountApiDialect dialect, string tag)
    {
        var group = app.MapGroup(prefix)
            .WithMetadata(dialect)
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags(tag);
        group.AddEndpointFilter(async (invocation, next) =>
            invocation.Arguments.OfType<AccountRequest>().FirstOrDefault() is { Failure: { } failure } request
                ? request.Dialect.ToResult(failure.Errors)
                : await next(invocation));
        return group;
    }
}
