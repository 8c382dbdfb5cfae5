using System.Text.Json.Serialization;

namespace IdentityHub.Web.Api.V1;

/// <summary>The caller's active sessions, most recently used first.</summary>
internal sealed record V1SessionList([property: JsonPropertyName("sessions")] IReadOnlyList<V1Session> Sessions);
