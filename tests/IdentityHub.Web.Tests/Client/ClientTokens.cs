using System.Security.Cryptography;
using IdentityHub.Client;
using IdentityHub.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Web.Tests.Client;

/// <summary>
/// Logout tokens and SETs shaped by a test, signed with the hub's own event-token key (the host's
/// <see cref="EventTokenSigningKey"/> registration, which its JWKS publishes) or, for forgeries, a key of the test's.
/// </summary>
public sealed class ClientTokens(ClientApplication app)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issuer => app.Address.ToString();

    /// <summary>A logout token as the hub would send it to <see cref="ClientApplication.ClientId"/>; <paramref name="shape"/> changes it.</summary>
    public string Logout(string? sub, string? sid, Action<SecurityTokenDescriptor, Dictionary<string, object>>? shape = null, SigningCredentials? key = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["events"] = new Dictionary<string, object> { [IdentityHubLogoutDefaults.BackchannelLogoutEvent] = new Dictionary<string, object>() },
        };
        if (sub is not null)
        {
            claims["sub"] = sub;
        }
        if (sid is not null)
        {
            claims["sid"] = sid;
        }
        return Sign(IdentityHubLogoutDefaults.LogoutTokenType, claims, shape, key, TimeSpan.FromMinutes(2));
    }

    /// <summary>A SET from the hub to <see cref="ClientApplication.ClientId"/> with one event about <paramref name="subId"/>.</summary>
    public string SecurityEvent(string eventType, object subId, Action<SecurityTokenDescriptor, Dictionary<string, object>>? shape = null, SigningCredentials? key = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            // IdentityModel writes dictionaries, not anonymous objects.
            ["sub_id"] = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(System.Text.Json.JsonSerializer.Serialize(subId))!
                .ToDictionary(p => p.Key, p => (object)p.Value),
            ["events"] = new Dictionary<string, object> { [eventType] = new Dictionary<string, object> { ["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() } },
        };
        return Sign(IdentityHubLogoutDefaults.SecurityEventTokenType, claims, shape, key, lifetime: null);
    }

    /// <summary>An EC P-256 key that is not in the hub's JWKS, with the hub key's id (a forger's best try).</summary>
    public SigningCredentials ForeignKey()
    {
        var hub = app.Services.GetRequiredService<EventTokenSigningKey>();
        return new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = hub.Key.KeyId }, SecurityAlgorithms.EcdsaSha256);
    }

    private string Sign(string type, Dictionary<string, object> claims, Action<SecurityTokenDescriptor, Dictionary<string, object>>? shape,
        SigningCredentials? key, TimeSpan? lifetime)
    {
        var hub = app.Services.GetRequiredService<EventTokenSigningKey>();
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = Issuer,
            Audience = ClientApplication.ClientId,
            IssuedAt = now,
            Expires = lifetime is { } l ? now + l : null,
            Claims = claims,
            SigningCredentials = key ?? new SigningCredentials(hub.Key, hub.Algorithm),
        };
        shape?.Invoke(descriptor, claims);
        return Handler.CreateToken(descriptor);
    }
}
