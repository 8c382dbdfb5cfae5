using System.Text.Json;
using IdentityHub.Cedar;
using IdentityHub.Errors;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// <c>POST /v1/admin/policies/evaluate</c>: lets an operator try a policy set against a request before deploying it.
/// Part of the admin API (<see cref="AdminApi"/>), which authenticates the administrator client.
/// </summary>
internal static class PolicyEvaluationEndpoints
{
    /// <summary>
    /// A policy set with its entities is far larger than an account API body, so this endpoint reads up to 1 MiB (its
    /// callers hold an admin token); the parser's nesting limit, not the body size, keeps deep input harmless.
    /// </summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Maps the evaluation on the admin group (<see cref="AdminApi"/>), which has authenticated the administrator.</summary>
    public static RouteGroupBuilder MapPolicyEvaluation(this RouteGroupBuilder admin)
    {
        admin.MapPost("/policies/evaluate", EvaluateAsync)
            .WithSummary("Evaluate a Cedar policy set against one request (Cedar JSON entities); nothing is stored")
            .Produces(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType);
        return admin;
    }

    private static async Task<IResult> EvaluateAsync(HttpRequest request)
    {
        var body = await JsonBody.ReadObjectAsync(request, MaxBodyBytes);
        return body.Succeeded ? Evaluate(body.Value) : V1Dialect.Instance.ToResult(body.Errors);
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
