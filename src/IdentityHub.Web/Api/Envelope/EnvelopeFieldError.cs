using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.Envelope;

/// <summary>One validation problem: the field (<c>current_password</c> or <c>new_password</c>), an always empty value, and the rule code.</summary>
internal sealed record EnvelopeFieldError(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("message")] string Message);
