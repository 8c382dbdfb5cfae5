using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.V1;

/// <summary>The error body of seed 000: <c>{code, message, details?, notices?}</c>.</summary>
internal sealed record V1ErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Details,
    [property: JsonPropertyName("notices")] IReadOnlyList<string> Notices);
