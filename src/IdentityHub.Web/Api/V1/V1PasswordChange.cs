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
    /// <summary>The receipt as an administrator reads it: every delivery with its stored error.</summary>
    public static V1PasswordChange From(PasswordChangeReceiptView view) => From(view, withErrors: true);

    /// <summary>
    /// The receipt as its user reads it: without our stored error texts, which can name a relying party's internal
    /// address (a refused connection says where); the receiver's HTTP status and the delivery's state stay.
    /// </summary>
    public static V1PasswordChange ForUser(PasswordChangeReceiptView view) => From(view, withErrors: false);

    private static V1PasswordChange From(PasswordChangeReceiptView view, bool withErrors)
    {
        var r = view.Receipt;
        return new(r.Id, r.TenantId, r.UserId, new DateTimeOffset(r.ChangedAt, TimeSpan.Zero), r.Initiator, r.Channel,
            r.SessionsEnded, r.AuthorizationsRevoked, r.TokensRevoked,
            [.. view.Deliveries.Select(d => V1PasswordChangeDelivery.From(withErrors ? d : d with { Error = null }))]);
    }
}
