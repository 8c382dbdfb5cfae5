using System.Text;
using System.Text.Json;

namespace IdentityHub.Cedar;

/// <summary>
/// One-shot JSON front end (for a CLI or an HTTP endpoint): takes
/// <c>{"policies": "&lt;Cedar text&gt;", "entities": [...], "principal": {...}, "action": {...}, "resource": {...}, "context": {...}}</c>
/// and answers <c>{"decision": "allow"|"deny", "reasons": ["policy0", ...], "errors": ["policy1", ...]}</c> with
/// Cedar's positional policy ids. Callers that evaluate many requests should parse the policy set once and use
/// <see cref="Authorizer"/> directly instead.
/// </summary>
public static class CedarJsonEvaluator
{
    /// <summary>Evaluates a JSON input document and returns the JSON answer.</summary>
    /// <exception cref="JsonException">The input is not valid JSON or lacks/garbles a required part.</exception>
    /// <exception cref="CedarParseException">The policy text is invalid (with line and column).</exception>
    public static string Evaluate(string inputJson)
    {
        ArgumentNullException.ThrowIfNull(inputJson);
        using var document = JsonDocument.Parse(inputJson);
        return ToJson(Evaluate(document.RootElement));
    }

    /// <summary>Evaluates an already parsed input document; <c>entities</c> and <c>context</c> may be omitted.</summary>
    /// <exception cref="JsonException">A required part is missing or malformed.</exception>
    /// <exception cref="CedarParseException">The policy text is invalid (with line and column).</exception>
    public static AuthorizationResponse Evaluate(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("input: expected a JSON object.");
        }

        var policiesJson = CedarJsonReader.RequiredProperty(input, "policies", "input");
        if (policiesJson.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("policies: expected the Cedar policy text as a JSON string.");
        }

        var policies = PolicySet.Parse(policiesJson.GetString()!);
        var entities = input.TryGetProperty("entities", out var entitiesJson) && entitiesJson.ValueKind != JsonValueKind.Null
            ? EntityStore.FromJson(entitiesJson)
            : EntityStore.Empty;
        var request = AuthorizationRequest.FromJson(input);
        return Authorizer.IsAuthorized(policies, request, entities);
    }

    /// <summary>Writes <c>{"decision", "reasons", "errors"}</c> for a response.</summary>
    public static void WriteResponse(Utf8JsonWriter writer, AuthorizationResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        writer.WriteString("decision", response.Decision == Decision.Allow ? "allow" : "deny");
        writer.WriteStartArray("reasons");
        foreach (var id in response.Reasons)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("errors");
        foreach (var id in response.Errors)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Renders a response as compact JSON text.</summary>
    public static string ToJson(AuthorizationResponse response)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteResponse(writer, response);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
