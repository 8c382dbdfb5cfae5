using System.Text.Json.Serialization;
using IdentityHub.Sessions;

namespace IdentityHub.Web.Api.V1;

/// <summary>One active session of the caller, as <c>GET /v1/users/me/sessions</c> lists it.</summary>
internal sealed record V1Session(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("current")] bool Current,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("ip_address")] string? IpAddress,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset LastUsedAt)
{
    public static V1Session From(HubSession session, string currentSessionId) =>
        new(session.Id, session.Id == currentSessionId, session.ClientId, session.IpAddress, session.UserAgent,
            new DateTimeOffset(session.CreatedAt, TimeSpan.Zero), new DateTimeOffset(session.LastUsedAt, TimeSpan.Zero));
}
