using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>The <c>data</c> of a 400: <c>{type: "validation_error", errors: [...]}</c>.</summary>
internal sealed record EnvelopeValidationData(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("errors")] IReadOnlyList<EnvelopeFieldError> Errors);
