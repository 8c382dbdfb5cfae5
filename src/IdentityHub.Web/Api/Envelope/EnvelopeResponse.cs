using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>Seed 004's envelope for every response: <c>{code, message, data}</c>, where code repeats the HTTP status.</summary>
internal sealed record EnvelopeResponse(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data")] object Data);
