using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.PasswordResets;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Web.Tests.SharedSignals;

/// <summary>
/// The reset fixture (SMTP, reset links) plus Shared Signals receivers: confidential clients with the
/// <c>ssf.manage</c> scope in tenant A (two), in tenant B, and bound to no tenant; a tenant A administrator for the
/// admin set-password; a push receiver the fixture runs (<see cref="Receiver"/>) and one that is down until a test
/// starts it (<see cref="LateReceiver"/>).
/// </summary>
public sealed class SharedSignalsApplication : ResetApplication
{
    public const string ReceiverA = "ssf-acme", OtherReceiverA = "ssf-acme-2", ReceiverB = "ssf-globex", Unbound = "ssf-unbound", Admin = "ssf-admin";
    public const string Secret = "ssf-secret-0123456789";
    public const string Scope = "ssf.manage";
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";
    public const string Push = "urn:ietf:rfc:8935", Poll = "urn:ietf:rfc:8936";

    public LogoutReceiver Receiver { get; } = new();

    public LogoutReceiver LateReceiver { get; } = new(start: false);

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!.AsObject();
        var clients = seed["Clients"]!.AsArray();
        foreach (var (id, tenant) in new[] { (ReceiverA, (Guid?)TestData.TenantA), (OtherReceiverA, TestData.TenantA), (ReceiverB, TestData.TenantB), (Unbound, null) })
        {
            clients.Add(JsonSerializer.SerializeToNode(new
            {
                ClientId = id, ClientSecret = Secret, TenantId = tenant, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { Scope },
            }));
        }
        clients.Add(JsonSerializer.SerializeToNode(new
        {
            ClientId = Admin, ClientSecret = Secret, TenantId = TestData.TenantA, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = true,
        }));
        settings["Seed"] = seed;
        settings["SharedSignals"] = new { MaxStreamsPerClient = 100 };
    }

    /// <summary>A client-credentials token of <paramref name="clientId"/> (with <c>ssf.manage</c> unless told otherwise).</summary>
    public async Task<string> TokenAsync(string clientId = ReceiverA, string scope = Scope, string secret = Secret)
    {
        var oauth = new OAuthClient(this);
        var token = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = (await oauth.DiscoverAsync()).TokenEndpoint, ClientId = clientId, ClientSecret = secret, Scope = scope,
        });
        Assert.False(token.IsError, $"{clientId}: {token.Error}: {token.ErrorDescription}");
        return token.AccessToken!;
    }

    /// <summary>A call to a Shared Signals endpoint with a JSON body.</summary>
    public Task<ApiResponse> SsfAsync(HttpMethod method, string path, string? token, object? body = null) =>
        ApiCall.SendAsync(new OAuthClient(this).Http, method, path, token, body is null ? null : JsonSerializer.Serialize(body));

    /// <summary>Creates a stream (which must succeed) and returns its id.</summary>
    public async Task<string> CreateStreamAsync(string token, object delivery, string format = "iss_sub", string[]? events = null)
    {
        var created = await SsfAsync(HttpMethod.Post, "/ssf/stream", token, new
        {
            events_requested = events ?? [CredentialChange, SessionRevoked], delivery, format,
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body.GetProperty("stream_id").GetString()!;
    }

    /// <summary>A push stream to <paramref name="path"/> on <paramref name="receiver"/> (the fixture's by default).</summary>
    public Task<string> CreatePushStreamAsync(string token, string path, string format = "iss_sub", LogoutReceiver? receiver = null, string[]? events = null) =>
        CreateStreamAsync(token, new { method = Push, endpoint_url = (receiver ?? Receiver).Uri(path), authorization_header = "Bearer receiver-secret" }, format, events);

    /// <summary>The <c>sub_id</c> a stream names <paramref name="userId"/> with, computed here from the stream's stored secret for <c>opaque</c>.</summary>
    public async Task<JsonElement> SubjectAsync(string streamId, string format, Guid userId, string email)
    {
        var issuer = (await new OAuthClient(this).DiscoverAsync()).Issuer;
        object subject = format switch
        {
            "email" => new { format, email },
            "opaque" => new { format, id = Base64UrlEncoder.Encode(HMACSHA256.HashData(await OpaqueKeyAsync(streamId), userId.ToByteArray())) },
            _ => new { format, iss = issuer, sub = userId.ToString() },
        };
        return JsonSerializer.SerializeToElement(subject);
    }

    private Task<byte[]> OpaqueKeyAsync(string streamId) =>
        QueryAsync(db => db.SecurityEventStreams.Where(s => s.Id == Guid.ParseExact(streamId, "N")).Select(s => s.OpaqueKey).SingleAsync());

    /// <summary>
    /// Validates a SET as a receiver must, with a stock library against the JWKS named by discovery: signature, iss,
    /// aud, typ <c>secevent+jwt</c> (no lifetime: SETs carry no <c>exp</c>); then it has a <c>jti</c>, an <c>iat</c> and
    /// exactly one event.
    /// </summary>
    public async Task<JsonWebToken> ValidateAsync(string token, string audience)
    {
        var oauth = new OAuthClient(this);
        var disco = await oauth.DiscoverAsync();
        var keys = new JsonWebKeySet(await oauth.Http.GetStringAsync(disco.JwksUri));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = disco.Issuer, ValidAudience = audience, IssuerSigningKeys = keys.GetSigningKeys(),
            ValidTypes = ["secevent+jwt"], ValidateLifetime = false, RequireExpirationTime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.True(jwt.IssuedAt > DateTime.UtcNow.AddMinutes(-5));
        Assert.Single(jwt.GetPayloadValue<JsonElement>("events").EnumerateObject());
        return jwt;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        await LateReceiver.DisposeAsync();
    }
}

/// <summary>One <see cref="SharedSignalsApplication"/> for the stream management and delivery tests.</summary>
[CollectionDefinition(StreamManagementTests.Collection)]
public sealed class SharedSignalsCollection : ICollectionFixture<SharedSignalsApplication>;
