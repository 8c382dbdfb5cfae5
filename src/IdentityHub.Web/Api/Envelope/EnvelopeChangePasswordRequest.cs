using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>The request body of seed 004, for the OpenAPI document (the endpoint reads the JSON itself).</summary>
internal sealed record EnvelopeChangePasswordRequest(
    [property: JsonPropertyName("current_password")] string CurrentPassword,
    [property: JsonPropertyName("new_password")] string NewPassword);
