using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.V1;

/// <summary>The body of <c>POST /v1/password-resets/confirm</c>, for the OpenAPI document (the endpoint reads the JSON itself).</summary>
internal sealed record V1PasswordResetConfirmRequest(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("new_password")] string NewPassword);
