using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.Policies;
using IdentityHub.Web.Api.V1;
using IdentityHub.Web.Connect;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// <c>POST /v1/admin/policies/evaluate</c>: lets an operator try a policy set against a request before deploying it.
/// Needs a client-credentials access token of a client configured as an administrator (seed setting <c>Admin</c>),
/// with the <c>admin</c> scope. A user's token never passes, even one carrying the <c>admin</c> scope (a client that
/// allows the password grant and the admin scope could otherwise hand it to any of its users).
/// </summary>
internal static class PolicyEvaluationEndpoints
{
    public const string AdminScope = AdminClient.Scope;

    /// <summary>
    /// A policy set with its entities is far larger than an account API body, so this endpoint reads up to 1 MiB (its
    /// callers hold an admin token); the parser's nesting limit, not the body size, keeps deep input harmless.
    /// </summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The admin API: its one endpoint.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/admin/policies/evaluate", EvaluateAsync)
            .WithMetadata(V1ErrorDialect.Instance)
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags("admin")
            .WithSummary("Evaluate a Cedar policy set against one request (Cedar JSON entities); nothing is stored")
            .Produces(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<IResult> EvaluateAsync(HttpContext context, OpenIddictValidationService validation, IOpenIddictApplicationManager applications)
    {
        var dialect = V1ErrorDialect.Instance;
        var header = context.Request.Headers.Authorization.ToString();
        if (BearerToken.Read(header) is not { } token)
        {
            return dialect.ToResult([new HubError(header.Length == 0 ? HubErrorCode.AuthenticationRequired : HubErrorCode.Unauthenticated)]);
        }
        System.Security.Claims.ClaimsPrincipal principal;
        try
        {
            principal = await validation.ValidateAccessTokenAsync(token, context.RequestAborted);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return dialect.ToResult([new HubError(HubErrorCode.Unauthenticated)]);
        }
        // Who first, then what: a user's token or a non-admin client is told it may not use the endpoint at all
        // (asking for the admin scope would not help); an admin client without the scope is told what it lacks.
        if (!await AdminClient.IsAdminClientTokenAsync(principal, applications, context.RequestAborted))
        {
            return Results.Json(new V1ErrorBody("forbidden", "This endpoint is for client-credentials tokens of administrator clients.", null, []),
                statusCode: StatusCodes.Status403Forbidden);
        }
        if (!principal.HasScope(AdminScope))
        {
            return Results.Json(new V1ErrorBody("insufficient_scope", "This endpoint needs an access token with the admin scope.", null, []),
                statusCode: StatusCodes.Status403Forbidden);
        }

        var (body, bodyError) = await JsonBody.ReadObjectAsync(context.Request, MaxBodyBytes);
        if (body is not { } json)
        {
            return dialect.ToResult([bodyError!]);
        }
        return Evaluate(json);
    }

    /// <summary>The evaluation's answer, or a 400 naming what in the document is wrong.</summary>
    private static IResult Evaluate(JsonElement json)
    {
        try
        {
            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output))
            {
                CedarJsonEvaluator.WriteResponse(writer, CedarJsonEvaluator.Evaluate(json));
            }
            return Results.Text(output.ToArray(), "application/json");
        }
        catch (CedarParseException exception)
        {
            return Results.Json(new V1ErrorBody("invalid_request", "The policies do not parse.", new Dictionary<string, object?>
            {
                ["field"] = "policies", ["reason"] = "parse_error", ["line"] = exception.Line, ["column"] = exception.Column, ["error"] = exception.Message,
            }, []), statusCode: StatusCodes.Status400BadRequest);
        }
        catch (JsonException exception)
        {
            return Results.Json(new V1ErrorBody("invalid_request", "The request document is not valid.", new Dictionary<string, object?>
            {
                ["reason"] = "invalid_document", ["error"] = exception.Message,
            }, []), statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
