using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.Notifications;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.SharedSignals;

/// <summary>
/// Security Event Tokens (RFC 8417) as SSF 1.0 profiles them: the outbox message written for one event and one
/// stream, and the signed JWT built from it whenever it is pushed or polled (header <c>typ: secevent+jwt</c>;
/// <c>iss aud iat jti sub_id events</c>; no <c>exp</c>, as RFC 8417 advises). The <c>jti</c> is the message id, the same
/// at every attempt, so a receiver recognises a retried delivery (and acknowledges a polled SET by it); <c>iat</c>
/// and the key are the current ones.
/// </summary>
public sealed class SecurityEventTokens(EventTokenSigningKey key)
{
    /// <summary>The outbox kind of a SET the outbox's sender pushes (RFC 8935).</summary>
    public const string PushKind = "ssf_push";

    /// <summary>The outbox kind of a SET kept for its receiver to poll (RFC 8936); the sender never picks these up.</summary>
    public const string PollKind = "ssf_poll";

    /// <summary>
    /// The <see cref="OutboxMessage.NextAttemptAt"/> of a SET held for a paused stream: never due, until the stream is
    /// enabled again (then it is due at once).
    /// </summary>
    public static readonly DateTime HeldUntil = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>
    /// The outbox message of one event for <paramref name="stream"/>: <paramref name="subject"/> is its <c>sub_id</c>,
    /// <paramref name="body"/> the event's claims under <paramref name="eventType"/>. Held when the stream is paused.
    /// </summary>
    public static OutboxMessage CreateMessage(SecurityEventStream stream, string eventType, JsonObject subject, JsonObject body, DateTime now)
    {
        var push = stream.DeliveryMethod == SharedSignalsConstants.PushMethod;
        var claims = new JsonObject
        {
            [JwtRegisteredClaimNames.Iss] = stream.Issuer,
            [JwtRegisteredClaimNames.Aud] = stream.ClientId,
            ["sub_id"] = subject,
            ["events"] = new JsonObject { [eventType] = body },
        };
        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            Kind = push ? PushKind : PollKind,
            ToAddress = StreamAddress(stream.Id),
            // A polled SET names its method, so the email outbox's readiness (Destination == null) never counts it.
            Destination = push ? stream.EndpointUrl : SharedSignalsConstants.PollMethod,
            TokenClaims = claims.ToJsonString(),
            CreatedAt = now,
            NextAttemptAt = stream.Status == SharedSignalsConstants.Paused ? HeldUntil : now,
        };
    }

    /// <summary>How a SET's outbox row names its stream (<see cref="OutboxMessage.ToAddress"/>).</summary>
    public static string StreamAddress(Guid streamId) => streamId.ToString("N");

    /// <summary>The signed SET of <paramref name="message"/>, issued at <paramref name="now"/>.</summary>
    public string Sign(OutboxMessage message, DateTimeOffset now)
    {
        var stored = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(message.TokenClaims ?? "{}") ?? [];
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Jti] = message.Id.ToString("N"),
            ["sub_id"] = stored["sub_id"],
            ["events"] = stored["events"],
        };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = SharedSignalsConstants.TokenType,
            Issuer = stored[JwtRegisteredClaimNames.Iss].GetString(),
            Audience = stored[JwtRegisteredClaimNames.Aud].GetString(),
            IssuedAt = now.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        });
    }
}
