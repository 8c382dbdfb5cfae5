using System.Text.Json;
using IdentityHub.Notifications;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.BackchannelLogout;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 logout tokens: the outbox message written when a session ends, and the
/// signed JWT built from it at each delivery attempt (header <c>typ: logout+jwt</c>; <c>iss aud iat exp jti sub sid
/// events</c>; never a <c>nonce</c>). The <c>jti</c> is the message id, the same at every attempt, so a receiver
/// recognises a retried delivery; <c>iat</c> and <c>exp</c> are fresh, and the key is the current one, so a token
/// delivered after an outage or a key rotation still validates.
/// </summary>
public sealed class LogoutTokens(EventTokenSigningKey key, IOptions<BackchannelLogoutOptions> options)
{
    /// <summary>The outbox kind of a logout token.</summary>
    public const string Kind = "backchannel_logout";

    /// <summary>The JWT <c>typ</c> header of a logout token.</summary>
    public const string TokenType = "logout+jwt";

    /// <summary>The event a logout token carries in its <c>events</c> claim.</summary>
    public const string EventType = "http://schemas.openid.net/event/backchannel-logout";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>
    /// The outbox message telling <paramref name="clientId"/>, at its registered <paramref name="destination"/>, that
    /// the session <paramref name="sessionId"/> of user <paramref name="userId"/> has ended; <paramref name="issuer"/>
    /// is the <c>iss</c> of the tokens the client got in that session.
    /// </summary>
    public static OutboxMessage CreateMessage(string issuer, string clientId, Uri destination, Guid userId, string sessionId, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(),
        Kind = Kind,
        ToAddress = clientId,
        Destination = destination.AbsoluteUri,
        TokenClaims = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            [JwtRegisteredClaimNames.Iss] = issuer,
            [JwtRegisteredClaimNames.Aud] = clientId,
            [JwtRegisteredClaimNames.Sub] = userId.ToString(),
            [JwtRegisteredClaimNames.Sid] = sessionId,
        }),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>The signed logout token of <paramref name="message"/>, issued at <paramref name="now"/>.</summary>
    public string Sign(OutboxMessage message, DateTimeOffset now)
    {
        var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(message.TokenClaims ?? "{}") ?? [];
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = stored[JwtRegisteredClaimNames.Sub],
            [JwtRegisteredClaimNames.Sid] = stored[JwtRegisteredClaimNames.Sid],
            [JwtRegisteredClaimNames.Jti] = message.Id.ToString("N"),
            ["events"] = new Dictionary<string, object> { [EventType] = new Dictionary<string, object>() },
        };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = stored[JwtRegisteredClaimNames.Iss],
            Audience = stored[JwtRegisteredClaimNames.Aud],
            IssuedAt = now.UtcDateTime,
            Expires = (now + options.Value.TokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        });
    }
}
