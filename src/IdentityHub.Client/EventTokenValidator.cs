using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Client;

/// <summary>
/// Validates a logout token or a Security Event Token against the provider's configuration: signature (a key of its
/// JWKS; an unknown key refreshes the configuration once, for a rotation), <c>typ</c>, <c>iss</c>, <c>aud</c>, and
/// <c>iat</c>/<c>exp</c> with the clock skew; then the <c>events</c> claim is an object and <c>jti</c> is present.
/// </summary>
internal static class EventTokenValidator
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>What to validate against.</summary>
    public sealed record Expectations(string Type, string Issuer, IReadOnlyCollection<string> Audiences, bool RequireExpiration, TimeSpan MaxAge);

    /// <summary>The token, or an RFC 8935 error code (<c>invalid_request</c>, <c>invalid_key</c>, <c>invalid_issuer</c>, <c>invalid_audience</c>) and why.</summary>
    public sealed record Outcome(JsonWebToken? Token, JsonElement Events, string? Error, string? Description)
    {
        public static Outcome Refused(string error, string description) => new(null, default, error, description);
    }

    public static async Task<Outcome> ValidateAsync(string raw, Func<OpenIdConnectConfiguration, Expectations> expect,
        IConfigurationManager<OpenIdConnectConfiguration> manager, DateTimeOffset now, TimeSpan skew, CancellationToken cancellationToken)
    {
        if (!Handler.CanReadToken(raw))
        {
            return Outcome.Refused("invalid_request", "The token is not a JWT.");
        }
        var configuration = await manager.GetConfigurationAsync(cancellationToken);
        var result = await Handler.ValidateTokenAsync(raw, Parameters(expect(configuration), configuration));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Perhaps the provider rotated its keys: read its JWKS again (the manager limits how often) and retry once.
            manager.RequestRefresh();
            configuration = await manager.GetConfigurationAsync(cancellationToken);
            result = await Handler.ValidateTokenAsync(raw, Parameters(expect(configuration), configuration));
        }
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidIssuerException => Outcome.Refused("invalid_issuer", "The issuer is not the provider."),
                SecurityTokenInvalidAudienceException => Outcome.Refused("invalid_audience", "The token is not for this client."),
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
                    Outcome.Refused("invalid_key", "The signature does not validate with the provider's keys."),
                SecurityTokenInvalidTypeException => Outcome.Refused("invalid_request", "The token has the wrong typ."),
                _ => Outcome.Refused("invalid_request", "The token is invalid."),
            };
        }
        return CheckClaims((JsonWebToken)result.SecurityToken, expect(configuration), now, skew);
    }

    private static Outcome CheckClaims(JsonWebToken token, Expectations expected, DateTimeOffset now, TimeSpan skew)
    {
        if (token.IssuedAt == DateTime.MinValue || token.IssuedAt > (now + skew).UtcDateTime)
        {
            return Outcome.Refused("invalid_request", "The token has no iat, or one in the future.");
        }
        if (expected.MaxAge > TimeSpan.Zero && token.IssuedAt < (now - expected.MaxAge - skew).UtcDateTime)
        {
            return Outcome.Refused("invalid_request", "The token is too old.");
        }
        var hasExpiration = token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _);
        if ((expected.RequireExpiration && !hasExpiration) || (hasExpiration && token.ValidTo < (now - skew).UtcDateTime))
        {
            return Outcome.Refused("invalid_request", "The token has expired (or has no exp).");
        }
        if (string.IsNullOrEmpty(token.Id))
        {
            return Outcome.Refused("invalid_request", "The token has no jti.");
        }
        if (!token.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object ||
            !events.EnumerateObject().Any())
        {
            return Outcome.Refused("invalid_request", "The token has no events claim.");
        }
        return new Outcome(token, events, null, null);
    }

    private static TokenValidationParameters Parameters(Expectations expected, OpenIdConnectConfiguration configuration) => new()
    {
        ValidTypes = [expected.Type],
        ValidIssuer = expected.Issuer,
        ValidAudiences = expected.Audiences,
        IssuerSigningKeys = configuration.SigningKeys,
        // Lifetimes are checked afterwards with the app's clock (SETs carry no exp, logout tokens must).
        ValidateLifetime = false,
        RequireExpirationTime = false,
        RequireSignedTokens = true,
    };
}
