using System.Text.Json.Serialization;
using IdentityHub.PasswordChanges;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// One delivery of a change: <c>kind</c> (<c>email</c>, <c>backchannel_logout</c>, <c>security_event</c>), <c>recipient</c>
/// (the address, the relying party's client id, or the Shared Signals stream's id), <c>status</c> (<c>pending</c>, <c>delivered</c>, <c>failed</c>), <c>attempts</c>;
/// <c>delivered_at</c> once delivered; the receiver's last <c>http_status</c> and our last <c>error</c> when there is one.
/// </summary>
internal sealed record V1PasswordChangeDelivery(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("recipient")] string Recipient,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("delivered_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeliveredAt,
    [property: JsonPropertyName("http_status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? HttpStatus,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonPropertyName("attempts")] int Attempts)
{
    public static V1PasswordChangeDelivery From(ReceiptDelivery d) =>
        new(d.Kind, d.Recipient, d.Status, d.DeliveredAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, d.HttpStatus, d.Error, d.Attempts);
}
