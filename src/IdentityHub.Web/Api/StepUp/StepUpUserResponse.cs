using System.Text.Json.Serialization;
using IdentityHub.Accounts;

namespace IdentityHub.Web.Api.StepUp;

/// <summary>The user information seed 002 answers with: never the hash or the security stamp.</summary>
internal sealed record StepUpUserResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("locale")] string? Locale,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("password_changed_at")] DateTimeOffset? PasswordChangedAt)
{
    public static StepUpUserResponse From(HubUser user) => new(
        user.Id, user.Email, user.TenantId, user.EmailConfirmed, user.DisplayName, user.Locale,
        new DateTimeOffset(user.CreatedAt, TimeSpan.Zero), new DateTimeOffset(user.UpdatedAt, TimeSpan.Zero),
        user.PasswordChangedAt is { } changed ? new DateTimeOffset(changed, TimeSpan.Zero) : null);
}
