using System.Net;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using static IdentityHub.Web.Tests.Client.ClientApplication;

namespace IdentityHub.Web.Tests.Client;

/// <summary>
/// IdentityHub.Client in a relying party on Kestrel, against the real hub: a logout token the hub sends after a password
/// change ends the cookie session of that <c>sid</c> (and no other); one with only <c>sub</c> ends the subject's older
/// sessions; CAEP SETs end the subject's sessions; and every token an attacker could send is refused with 400, the
/// session untouched.
/// </summary>
public sealed class ClientReceiverTests(ClientApplication app) : IClassFixture<ClientApplication>
{
    private readonly ClientTokens tokens = new(app);

    [Fact]
    public async Task HubLogoutToken_AfterAPasswordChangeElsewhere_EndsTheSessionOfItsSid_OnlyThatOne_AndRaisesTheEvent()
    {
        // Arrange: the app's session is the user's password-grant session of the app's client; a second cookie session
        // of the same user carries a sid the hub never names to this app.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var appTokens = await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword, ClientId, Secret, "openid account");
        var appSid = new JsonWebToken(appTokens.AccessToken).GetClaim("sid").Value;
        var changer = new OAuthClient(app);
        var changerToken = await changer.AccessTokenAsync(email);
        using var ended = await app.Receiver.SignInAsync(userId.ToString(), appSid);
        using var kept = await app.Receiver.SignInAsync(userId.ToString(), "sid-" + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(ended));

        // Act
        var change = await ApiCall.V1ChangeAsync(changer.Http, changerToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        await WaitUntilAsync(async () => await ReceiverApp.MeAsync(ended) == HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(kept));
        var logout = Assert.Single(app.Receiver.Logouts, l => l.Subject == userId.ToString());
        Assert.Equal(appSid, logout.SessionId);
        Assert.Equal(app.Address.ToString(), logout.Token.Issuer);
    }

    [Fact]
    public async Task HubSharedSignalsStream_PushesCredentialChangeToTheApp_WhichEndsTheSubjectsSessions()
    {
        // Arrange: the app opens a push stream to its own SET endpoint with its client's token; the user signed in to
        // the app only (no session of the app's client at the hub, so no logout token will come: only the SET).
        using var http = new HttpClient { BaseAddress = app.Address };
        var ssfToken = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "/connect/token", ClientId = ClientId, ClientSecret = Secret, Scope = "ssf.manage",
        });
        Assert.False(ssfToken.IsError, ssfToken.Error);
        var created = await ApiCall.SendAsync(http, HttpMethod.Post, "/ssf/stream", ssfToken.AccessToken, JsonSerializer.Serialize(new
        {
            events_requested = new[] { "https://schemas.openid.net/secevent/caep/event-type/credential-change" },
            delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = app.Receiver.Address + "security-events" },
            format = "iss_sub",
        }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var streamId = created.Body.GetProperty("stream_id").GetString();
        try
        {
            var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
            using var session = await app.Receiver.SignInAsync(userId.ToString(), "sid-" + Guid.NewGuid());
            var changer = new OAuthClient(app);

            // Act
            var change = await ApiCall.V1ChangeAsync(changer.Http, await changer.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

            // Assert: the SET arrived, validated, and ended the app's session of that subject.
            Assert.Equal(HttpStatusCode.NoContent, change.Status);
            await WaitUntilAsync(async () => await ReceiverApp.MeAsync(session) == HttpStatusCode.Unauthorized);
            var received = Assert.Single(app.Receiver.SecurityEvents, e => e.Subject?.Value == userId.ToString());
            Assert.Equal(("iss_sub", app.Address.ToString()), (received.Subject!.Format, received.Subject.Issuer));
            Assert.Equal(["https://schemas.openid.net/secevent/caep/event-type/credential-change"], received.EventTypes);
            Assert.True(received.SessionsEnded);
            Assert.DoesNotContain(app.Receiver.Logouts, l => l.Subject == userId.ToString());
        }
        finally
        {
            // The other tests of the class expect sessions that only a logout token ends.
            Assert.Equal(HttpStatusCode.NoContent, (await ApiCall.SendAsync(http, HttpMethod.Delete, $"/ssf/stream?stream_id={streamId}", ssfToken.AccessToken, null)).Status);
        }
    }

    [Fact]
    public async Task LogoutTokenWithoutSid_EndsTheSubjectsSessionsSignedInBefore_NotLaterOnes()
    {
        // Arrange
        var sub = Guid.NewGuid().ToString();
        using var before = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());

        // Act
        var answer = await PostLogoutAsync(tokens.Logout(sub, sid: null));
        using var after = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());

        // Assert
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, await ReceiverApp.MeAsync(before));
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(after));
    }

    [Theory]
    [InlineData("foreign-key", "signature")]
    [InlineData("unsigned", "signature")]
    [InlineData("other-audience", "not for this client")]
    [InlineData("other-issuer", "issuer")]
    [InlineData("expired", "expired")]
    [InlineData("no-exp", "no exp")]
    [InlineData("future-iat", "future")]
    [InlineData("nonce", "nonce")]
    [InlineData("no-events", "no events")]
    [InlineData("other-event", "no back-channel logout event")]
    [InlineData("no-sid-no-sub", "neither sid nor sub")]
    [InlineData("no-jti", "no jti")]
    [InlineData("id-token-typ", "typ")]
    public async Task ForgedOrMisshapenLogoutToken_Is400InvalidRequest_AndTheSessionLives(string forgery, string why)
    {
        // Arrange
        var sub = Guid.NewGuid().ToString();
        var sid = "sid-" + Guid.NewGuid();
        using var session = await app.Receiver.SignInAsync(sub, sid);
        var token = Forge(forgery, sub, sid);

        // Act
        var answer = await PostLogoutAsync(token);

        // Assert
        var description = await AssertLogoutRefusedAsync(answer);
        Assert.Contains(why, description);
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(session));
    }

    [Fact]
    public async Task ARedeliveredLogoutToken_IsAcknowledged_ButNotAppliedAgain()
    {
        // Arrange: a logout of the whole subject ended the sessions signed in before it; a new one started since.
        var sub = Guid.NewGuid().ToString();
        var token = tokens.Logout(sub, sid: null);
        using var before = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.OK, (await PostLogoutAsync(token)).StatusCode);
        using var since = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());

        // Act: the same token again (the provider's retry after an answer it did not get, or a replay).
        var again = await PostLogoutAsync(token);

        // Assert: 200, so the provider does not mark the delivery failed; the later session lives; no second event.
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReceiverApp.MeAsync(before));
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(since));
        Assert.Single(app.Receiver.Logouts, l => l.Subject == sub);
    }

    [Fact]
    public async Task ARedeliveredSecurityEvent_IsAccepted_ButNotAppliedAgain()
    {
        var sub = Guid.NewGuid().ToString();
        var token = tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, new { format = "iss_sub", iss = tokens.Issuer, sub });
        using var before = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Accepted, (await PostSecurityEventAsync(token)).StatusCode);
        using var since = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());

        var again = await PostSecurityEventAsync(token);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReceiverApp.MeAsync(before));
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(since));
    }

    [Theory]
    [InlineData("application/json", "logout_token={token}")]
    [InlineData("application/x-www-form-urlencoded", "logout_token=")]
    [InlineData("application/x-www-form-urlencoded", "logout_token={token}&logout_token={token}")]
    [InlineData("application/x-www-form-urlencoded", "token={token}")]
    [InlineData("application/x-www-form-urlencoded", "logout_token={token}&pad={huge}")]
    public async Task LogoutRequest_WrongContentTypeOrFormOrOversized_Is400_AndTheSessionLives(string contentType, string body)
    {
        // Arrange
        var sub = Guid.NewGuid().ToString();
        var sid = "sid-" + Guid.NewGuid();
        using var session = await app.Receiver.SignInAsync(sub, sid);
        var content = body.Replace("{token}", tokens.Logout(sub, sid)).Replace("{huge}", new string('a', 20_000));

        // Act
        using var http = new HttpClient();
        var answer = await http.PostAsync(new Uri(app.Receiver.Address, "backchannel-logout"), new StringContent(content, Encoding.UTF8, contentType));

        // Assert
        await AssertLogoutRefusedAsync(answer);
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(session));
    }

    [Fact]
    public async Task LogoutEndpoint_Get_Is405()
    {
        using var http = new HttpClient();
        var answer = await http.GetAsync(new Uri(app.Receiver.Address, "backchannel-logout"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.StatusCode);
        Assert.Equal("POST", answer.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task TwoInstancesSharingRedis_ALogoutReceivedByOne_EndsTheSessionOnTheOther()
    {
        // Arrange: two instances of a relying party sharing a real Redis as their IDistributedCache.
        using var redis = new RedisServer();
        await using var first = new ReceiverApp(ClientId);
        await using var second = new ReceiverApp(ClientId);
        await first.StartAsync(app.Address, services => services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration));
        await second.StartAsync(app.Address, services => services.AddStackExchangeRedisCache(o => o.Configuration = redis.Configuration));
        var sub = Guid.NewGuid().ToString();
        var sid = "sid-" + Guid.NewGuid();
        using var session = await second.SignInAsync(sub, sid);

        // Act: the logout token reaches the first instance only.
        var answer = await PostLogoutAsync(tokens.Logout(sub, sid), first);

        // Assert
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReceiverApp.MeAsync(session));
    }

    [Fact]
    public async Task ReceiverWithoutAClientId_StopsTheAppAtStart_NamingTheSetting()
    {
        await using var misconfigured = new ReceiverApp(clientId: null);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => misconfigured.StartAsync(app.Address));

        Assert.Contains("ClientId", failure.Message);
    }

    [Theory]
    [InlineData("provider")]
    [InlineData("shared cache")]
    public async Task ProviderOrSharedCacheUnreachable_Is503WithRetryAfter_SoThatTheProviderRetries_Never500(string down)
    {
        // Arrange: a receiver whose provider is down (nothing listens at its authority), or whose Redis is.
        await using var receiver = new ReceiverApp(ClientId);
        var nothing = $"127.0.0.1:{Loopback.FreePort()}";
        await receiver.StartAsync(down == "provider" ? new Uri($"http://{nothing}/") : app.Address, services =>
        {
            if (down != "provider")
            {
                services.AddStackExchangeRedisCache(o => o.Configuration = $"{nothing},connectTimeout=200,connectRetry=0,asyncTimeout=300,syncTimeout=300,abortConnect=true");
            }
        });

        // Act
        var answer = await PostLogoutAsync(tokens.Logout(Guid.NewGuid().ToString(), "sid-1"), receiver);

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.NotNull(answer.Headers.RetryAfter);
    }

    [Theory]
    [InlineData(IdentityHubLogoutDefaults.CredentialChangeEvent, "iss_sub")]
    [InlineData(IdentityHubLogoutDefaults.SessionRevokedEvent, "iss_sub")]
    [InlineData(IdentityHubLogoutDefaults.SessionRevokedEvent, "email")]
    public async Task CaepSecurityEvent_SignedByTheHub_Is202_AndEndsTheSubjectsSessions(string eventType, string format)
    {
        // Arrange
        var sub = Guid.NewGuid().ToString();
        var email = $"u{Guid.NewGuid():N}@acme.test";
        using var session = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid(), email);
        object subId = format == "email" ? new { format, email = email.ToUpperInvariant() } : new { format, iss = tokens.Issuer, sub };

        // Act
        var answer = await PostSecurityEventAsync(tokens.SecurityEvent(eventType, subId));

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReceiverApp.MeAsync(session));
        var received = Assert.Single(app.Receiver.SecurityEvents, e => e.Subject?.Value is { } v && (v == sub || v == email.ToUpperInvariant()));
        Assert.True(received.SessionsEnded);
        Assert.Equal([eventType], received.EventTypes);
    }

    [Fact]
    public async Task SecurityEvent_OfAnotherKind_OrAboutAnotherIssuersSubject_Is202_AndTheSessionLives()
    {
        var sub = Guid.NewGuid().ToString();
        using var session = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());

        var verification = await PostSecurityEventAsync(tokens.SecurityEvent("https://schemas.openid.net/secevent/ssf/event-type/verification",
            new { format = "iss_sub", iss = tokens.Issuer, sub }));
        var foreign = await PostSecurityEventAsync(tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent,
            new { format = "iss_sub", iss = "https://other.example/", sub }));

        Assert.Equal(HttpStatusCode.Accepted, verification.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(session));
    }

    [Theory]
    [InlineData("foreign-key", "invalid_key")]
    [InlineData("other-audience", "invalid_audience")]
    [InlineData("other-issuer", "invalid_issuer")]
    [InlineData("logout-typ", "invalid_request")]
    [InlineData("no-events", "invalid_request")]
    [InlineData("too-old", "invalid_request")]
    [InlineData("wrong-content-type", "invalid_request")]
    public async Task ForgedOrMisshapenSecurityEvent_Is400WithTheRfc8935Error_AndTheSessionLives(string forgery, string error)
    {
        // Arrange
        var sub = Guid.NewGuid().ToString();
        using var session = await app.Receiver.SignInAsync(sub, "sid-" + Guid.NewGuid());
        var subId = new { format = "iss_sub", iss = tokens.Issuer, sub };
        var token = forgery switch
        {
            "foreign-key" => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, subId, key: tokens.ForeignKey()),
            "other-audience" => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, subId, (d, _) => d.Audience = "another-app"),
            "other-issuer" => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, subId, (d, _) => d.Issuer = "https://evil.example/"),
            "logout-typ" => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, subId, (d, _) => d.TokenType = "logout+jwt"),
            "no-events" => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, subId, (_, c) => c.Remove("events")),
            "too-old" => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, subId, (d, _) => d.IssuedAt = DateTime.UtcNow.AddDays(-2)),
            _ => tokens.SecurityEvent(IdentityHubLogoutDefaults.SessionRevokedEvent, new { format = "iss_sub", iss = tokens.Issuer, sub = Guid.NewGuid().ToString() }),
        };
        // Act
        var answer = await PostSecurityEventAsync(token, forgery == "wrong-content-type" ? "application/jwt" : "application/secevent+jwt");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(error, body.GetProperty("err").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("description").GetString()));
        Assert.Equal(HttpStatusCode.OK, await ReceiverApp.MeAsync(session));
    }

    private string Forge(string forgery, string sub, string sid) => forgery switch
    {
        "foreign-key" => tokens.Logout(sub, sid, key: tokens.ForeignKey()),
        "other-audience" => tokens.Logout(sub, sid, (d, _) => d.Audience = TestData.CliClient),
        "other-issuer" => tokens.Logout(sub, sid, (d, _) => d.Issuer = "https://evil.example/"),
        "expired" => tokens.Logout(sub, sid, (d, _) => (d.IssuedAt, d.Expires) = (DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(-5))),
        "no-exp" => tokens.Logout(sub, sid, (d, _) => d.Expires = null),
        "future-iat" => tokens.Logout(sub, sid, (d, _) => (d.IssuedAt, d.Expires) = (DateTime.UtcNow.AddMinutes(10), DateTime.UtcNow.AddMinutes(12))),
        "nonce" => tokens.Logout(sub, sid, (_, c) => c["nonce"] = "n-0S6_WzA2Mj"),
        "no-events" => tokens.Logout(sub, sid, (_, c) => c.Remove("events")),
        "other-event" => tokens.Logout(sub, sid, (_, c) => c["events"] = new Dictionary<string, object> { [IdentityHubLogoutDefaults.SessionRevokedEvent] = new Dictionary<string, object>() }),
        "no-sid-no-sub" => tokens.Logout(null, null),
        "no-jti" => tokens.Logout(sub, sid, (_, c) => c.Remove("jti")),
        "id-token-typ" => tokens.Logout(sub, sid, (d, _) => d.TokenType = "JWT"),
        // alg "none": the header and payload of a real token, no signature.
        _ => string.Join('.', tokens.Logout(sub, sid).Split('.')[1..2].Prepend(Base64Url("""{"alg":"none","typ":"logout+jwt"}"""))) + ".",
    };

    private static string Base64Url(string json) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(json);

    private async Task<HttpResponseMessage> PostLogoutAsync(string token, ReceiverApp? receiver = null)
    {
        using var http = new HttpClient();
        return await http.PostAsync(new Uri((receiver ?? app.Receiver).Address, "backchannel-logout"), new FormUrlEncodedContent([new("logout_token", token)]));
    }

    private async Task<HttpResponseMessage> PostSecurityEventAsync(string token, string contentType = "application/secevent+jwt")
    {
        using var http = new HttpClient();
        using var content = new StringContent(token, Encoding.ASCII);
        content.Headers.ContentType = new(contentType);
        return await http.PostAsync(new Uri(app.Receiver.Address, "security-events"), content);
    }

    /// <summary>Back-Channel Logout 1.0 section 2.8: 400, not cached, the OAuth error shape; returns the description.</summary>
    private static async Task<string> AssertLogoutRefusedAsync(HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        return body.GetProperty("error_description").GetString()!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition did not hold within 15 seconds.");
            await Task.Delay(50);
        }
    }
}
