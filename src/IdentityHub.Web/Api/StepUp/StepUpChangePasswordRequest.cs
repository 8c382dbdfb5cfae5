using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>The request body of seed 002, for the OpenAPI document (the endpoint reads the JSON itself).</summary>
internal sealed record StepUpChangePasswordRequest([property: JsonPropertyName("password")] string Password);
