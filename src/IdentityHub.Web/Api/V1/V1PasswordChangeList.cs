using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.V1;

/// <summary>A page of the account's password changes, newest first.</summary>
internal sealed record V1PasswordChangeList(
    [property: JsonPropertyName("password_changes")] IReadOnlyList<V1PasswordChange> PasswordChanges,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("total")] int Total);
