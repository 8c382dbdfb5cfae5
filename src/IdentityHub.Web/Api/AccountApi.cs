using IdentityHub.Web.Api.Admin;
using IdentityHub.Web.Api.Envelope;
using IdentityHub.Web.Api.StepUp;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Api;

/// <summary>The account API: one route group per dialect (seed document), each with its own mapper, over one core.</summary>
internal static class AccountApi
{
    /// <summary>Maps every dialect of the account API and the admin endpoint.</summary>
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        app.MapV1Api();
        app.MapStepUpApi();
        app.MapEnvelopeApi();
        app.MapPolicyEvaluationApi();
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
