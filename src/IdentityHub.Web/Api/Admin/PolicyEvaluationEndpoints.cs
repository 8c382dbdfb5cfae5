using System.Security.Claims;
using System.Text.Json;
using IdentityHub.Cedar;
using IdentityHub.Errors;
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
        app.MapAccountApiGroup("/v1/admin", V1Dialect.Instance, "admin")
            .MapPost("/policies/evaluate", EvaluateAsync)
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
        var admin = await AuthenticateAdminAsync(context, validation, applications);
        var body = admin.Succeeded ? await JsonBody.ReadObjectAsync(context.Request, MaxBodyBytes) : HubResult<JsonElement>.FailedLike(admin);
        return body.Succeeded ? Evaluate(body.Value) : V1Dialect.Instance.ToResult(body.Errors);
    }

    /// <summary>
    /// The caller must present a client-credentials token of an administrator client with the admin scope. Who first,
    /// then what: a user's token or a non-admin client is told it may not use the endpoint at all (asking for the admin
    /// scope would not help); an admin client without the scope is told what it lacks.
    /// </summary>
    private static async Task<HubResult> AuthenticateAdminAsync(HttpContext context, OpenIddictValidationService validation, IOpenIddictApplicationManager applications)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (BearerToken.Read(header) is not { } token)
        {
            return HubResult.Failed(header.Length == 0 ? HubErrorCode.AuthenticationRequired : HubErrorCode.Unauthenticated);
        }
        ClaimsPrincipal principal;
        try
        {
            principal = await validation.ValidateAccessTokenAsync(token, context.RequestAborted);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return HubResult.Failed(HubErrorCode.Unauthenticated);
        }
        return !await AdminClient.IsAdminClientTokenAsync(principal, applications, context.RequestAborted) ? HubResult.Failed(HubErrorCode.NotAdminClient)
            : !principal.HasScope(AdminScope) ? HubResult.Failed(HubErrorCode.InsufficientScope)
            : HubResult.Success;
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
            return V1Dialect.Instance.ToResult([new HubError(HubErrorCode.InvalidPolicies, HubField.Policies, ["parse_error"])
            {
                Context = new Dictionary<string, object?> { ["line"] = exception.Line, ["column"] = exception.Column, ["error"] = exception.Message },
            }]);
        }
        catch (JsonException exception)
        {
            return V1Dialect.Instance.ToResult([new HubError(HubErrorCode.InvalidDocument, Details: ["invalid_document"])
            {
                Context = new Dictionary<string, object?> { ["error"] = exception.Message },
            }]);
        }
    }
}
