using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>
/// The error body of seed 002: <c>{code, message}</c>, plus, for <c>VALIDATION_ERROR</c>, the offending
/// <c>field</c> and the <c>violations</c> (password rule codes or input problems), and for <c>FORBIDDEN_BY_POLICY</c>
/// the policy <c>notices</c>.
/// </summary>
internal sealed record StepUpErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("field"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null,
    [property: JsonPropertyName("violations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Violations = null,
    [property: JsonPropertyName("notices"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notices = null);
