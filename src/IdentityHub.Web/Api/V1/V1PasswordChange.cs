using System.Text.Json.Serialization;
using IdentityHub.PasswordChanges;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// A password change's receipt, as <c>GET /v1/users/me/password-changes/{id}</c> and the admin API show it: what the
/// change ended, and each delivery it caused with its current state.
/// </summary>
internal sealed record V1PasswordChange(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("user_id")] Guid UserId,
    [property: JsonPropertyName("changed_at")] DateTimeOffset ChangedAt,
    [property: JsonPropertyName("initiator")] string Initiator,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("sessions_ended")] int SessionsEnded,
    [property: JsonPropertyName("authorizations_revoked")] long AuthorizationsRevoked,
    [property: JsonPropertyName("tokens_revoked")] long TokensRevoked,
    [property: JsonPropertyName("deliveries")] IReadOnlyList<V1PasswordChangeDelivery> Deliveries)
{
    public static V1PasswordChange From(PasswordChangeReceiptView view)
    {
        var r = view.Receipt;
        return new(r.Id, r.TenantId, r.UserId, new DateTimeOffset(r.ChangedAt, TimeSpan.Zero), r.Initiator, r.Channel,
            r.SessionsEnded, r.AuthorizationsRevoked, r.TokensRevoked, [.. view.Deliveries.Select(V1PasswordChangeDelivery.From)]);
    }
}
