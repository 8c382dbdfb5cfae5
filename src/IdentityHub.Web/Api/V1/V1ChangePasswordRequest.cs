using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.V1;

/// <summary>The request body of seed 000, for the OpenAPI document (the endpoint reads the JSON itself).</summary>
internal sealed record V1ChangePasswordRequest(
    [property: JsonPropertyName("current_password")] string CurrentPassword,
    [property: JsonPropertyName("new_password")] string NewPassword);
