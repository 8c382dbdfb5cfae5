using System.Net;
using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;
using static IdentityHub.Web.Tests.SharedSignals.SharedSignalsApplication;

namespace IdentityHub.Web.Tests.SharedSignals;

/// <summary>
/// The Shared Signals transmitter's configuration document and stream management through HTTP with a receiver's
/// client-credentials token: create, read, list, update, replace, status, verification, delete; and who is refused.
/// </summary>
[Collection(Collection)]
public sealed class StreamManagementTests(SharedSignalsApplication app)
{
    public const string Collection = "SharedSignals";

    [Fact]
    public async Task Configuration_DescribesTheTransmitter_AtTheIssuer()
    {
        var oauth = new OAuthClient(app);
        var disco = await oauth.DiscoverAsync();

        var response = await oauth.Http.GetAsync("/.well-known/ssf-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1_0", document.GetProperty("spec_version").GetString());
        Assert.Equal(disco.Issuer, document.GetProperty("issuer").GetString());
        Assert.Equal(disco.JwksUri, document.GetProperty("jwks_uri").GetString());
        Assert.Equal([Push, Poll], document.GetProperty("delivery_methods_supported").EnumerateArray().Select(e => e.GetString()));
        var root = disco.Issuer!.TrimEnd('/');
        Assert.Equal(root + "/ssf/stream", document.GetProperty("configuration_endpoint").GetString());
        Assert.Equal(root + "/ssf/status", document.GetProperty("status_endpoint").GetString());
        Assert.Equal(root + "/ssf/verify", document.GetProperty("verification_endpoint").GetString());
        Assert.Equal("urn:ietf:rfc:6749", document.GetProperty("authorization_schemes")[0].GetProperty("spec_urn").GetString());
        Assert.Equal("ALL", document.GetProperty("default_subjects").GetString());
    }

    [Fact]
    public async Task AStream_IsCreatedReadUpdatedReplacedPausedVerifiedAndDeleted_ByItsReceiver()
    {
        var token = await app.TokenAsync();
        var path = $"/crud-{Guid.NewGuid():N}";

        // Create: the transmitter supplies iss, aud, events_supported and events_delivered, never the authorization header.
        var created = await app.SsfAsync(HttpMethod.Post, "/ssf/stream", token, new
        {
            events_requested = new[] { CredentialChange, "urn:example:unknown" }, format = "opaque", description = "crud",
            delivery = new { method = Push, endpoint_url = app.Receiver.Uri(path), authorization_header = "Bearer receiver-secret" },
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("stream_id").GetString()!;
        Assert.Equal((await new OAuthClient(app).DiscoverAsync()).Issuer, created.Body.GetProperty("iss").GetString());
        Assert.Equal(ReceiverA, created.Body.GetProperty("aud").GetString());
        Assert.Equal([CredentialChange, SessionRevoked], created.Body.GetProperty("events_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([CredentialChange], created.Body.GetProperty("events_delivered").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("opaque", created.Body.GetProperty("format").GetString());
        Assert.Equal(app.Receiver.Uri(path), created.Body.GetProperty("delivery").GetProperty("endpoint_url").GetString());
        Assert.DoesNotContain("receiver-secret", created.Body.GetRawText());

        // Read one, and the list.
        var read = await app.SsfAsync(HttpMethod.Get, $"/ssf/stream?stream_id={id}", token);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("crud", read.Body.GetProperty("description").GetString());
        var list = await app.SsfAsync(HttpMethod.Get, "/ssf/stream", token);
        Assert.Contains(list.Body.EnumerateArray(), s => s.GetProperty("stream_id").GetString() == id);

        // Update changes the fields given; replace resets the others (to poll, with the transmitter's poll endpoint).
        var updated = await app.SsfAsync(HttpMethod.Patch, "/ssf/stream", token, new { stream_id = id, events_requested = new[] { SessionRevoked } });
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal([SessionRevoked], updated.Body.GetProperty("events_delivered").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("opaque", updated.Body.GetProperty("format").GetString());
        var replaced = await app.SsfAsync(HttpMethod.Put, "/ssf/stream", token, new { stream_id = id, events_requested = new[] { CredentialChange } });
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal("iss_sub", replaced.Body.GetProperty("format").GetString());
        Assert.Equal(Poll, replaced.Body.GetProperty("delivery").GetProperty("method").GetString());
        Assert.EndsWith($"/ssf/poll/{id}", replaced.Body.GetProperty("delivery").GetProperty("endpoint_url").GetString());
        Assert.False(replaced.Body.TryGetProperty("description", out _));

        // Status.
        Assert.Equal("enabled", (await app.SsfAsync(HttpMethod.Get, $"/ssf/status?stream_id={id}", token)).Body.GetProperty("status").GetString());
        var paused = await app.SsfAsync(HttpMethod.Post, "/ssf/status", token, new { stream_id = id, status = "paused", reason = "maintenance" });
        Assert.Equal(HttpStatusCode.OK, paused.Status);
        Assert.Equal("paused", paused.Body.GetProperty("status").GetString());
        Assert.Equal("maintenance", (await app.SsfAsync(HttpMethod.Get, $"/ssf/status?stream_id={id}", token)).Body.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await app.SsfAsync(HttpMethod.Post, "/ssf/status", token, new { stream_id = id, status = "asleep" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.SsfAsync(HttpMethod.Post, "/ssf/status", token, new { stream_id = id, status = "enabled" })).Status);

        // Verification: 204, and the verification SET waits for the poll with the receiver's state.
        Assert.Equal(HttpStatusCode.NoContent, (await app.SsfAsync(HttpMethod.Post, "/ssf/verify", token, new { stream_id = id, state = "xyz-123" })).Status);
        var polled = await app.SsfAsync(HttpMethod.Post, $"/ssf/poll/{id}", token, new { returnImmediately = true });
        var set = await app.ValidateAsync(Assert.Single(polled.Body.GetProperty("sets").EnumerateObject()).Value.GetString()!, ReceiverA);
        Assert.Equal("xyz-123", set.GetPayloadValue<JsonElement>("events").GetProperty(Verification).GetProperty("state").GetString());
        Assert.Equal(id, set.GetPayloadValue<JsonElement>("sub_id").GetProperty("id").GetString());

        // Without a stream id: 400.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.SsfAsync(HttpMethod.Patch, "/ssf/stream", token, new { format = "email" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.SsfAsync(HttpMethod.Get, "/ssf/status", token)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.SsfAsync(HttpMethod.Delete, "/ssf/stream", token)).Status);

        // Delete.
        Assert.Equal(HttpStatusCode.NoContent, (await app.SsfAsync(HttpMethod.Delete, $"/ssf/stream?stream_id={id}", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Get, $"/ssf/stream?stream_id={id}", token)).Status);
    }

    [Fact]
    public async Task StreamManagement_RefusesStrangers_AndHidesOtherReceiversStreams()
    {
        var token = await app.TokenAsync();
        var id = await app.CreatePushStreamAsync(token, $"/mine-{Guid.NewGuid():N}");
        var oauth = new OAuthClient(app);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var userToken = await oauth.AuthorizationCodeAsync(email, TestData.StrongPassword, scope: "openid account");
        Assert.False(userToken.IsError, userToken.Error);

        var none = await app.SsfAsync(HttpMethod.Get, "/ssf/stream", null);
        var bad = await app.SsfAsync(HttpMethod.Get, "/ssf/stream", "not-a-token");
        var noScope = await app.SsfAsync(HttpMethod.Get, "/ssf/stream", await app.TokenAsync(scope: ""));
        var user = await app.SsfAsync(HttpMethod.Get, "/ssf/stream", userToken.AccessToken);
        var unbound = await app.SsfAsync(HttpMethod.Get, "/ssf/stream", await app.TokenAsync(Unbound));
        var otherClient = await app.TokenAsync(OtherReceiverA);
        var otherTenant = await app.TokenAsync(ReceiverB);

        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal("Bearer", none.Header("WWW-Authenticate"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.Status);
        Assert.Equal("invalid_token", bad.Body.GetProperty("err").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, noScope.Status);
        Assert.Equal("insufficient_scope", noScope.Body.GetProperty("err").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, user.Status);
        Assert.Equal(HttpStatusCode.Forbidden, unbound.Status);
        foreach (var stranger in new[] { otherClient, otherTenant })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Get, $"/ssf/stream?stream_id={id}", stranger)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Patch, "/ssf/stream", stranger, new { stream_id = id, format = "email" })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Post, "/ssf/status", stranger, new { stream_id = id, status = "disabled" })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Post, "/ssf/verify", stranger, new { stream_id = id })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Post, $"/ssf/poll/{id}", stranger, new { })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await app.SsfAsync(HttpMethod.Delete, $"/ssf/stream?stream_id={id}", stranger)).Status);
            Assert.DoesNotContain(id, (await app.SsfAsync(HttpMethod.Get, "/ssf/stream", stranger)).Body.GetRawText());
        }
        Assert.Equal("enabled", (await app.SsfAsync(HttpMethod.Get, $"/ssf/status?stream_id={id}", token)).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheSharedSignalsEndpoints()
    {
        var json = JsonDocument.Parse(await new OAuthClient(app).Http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        foreach (var (path, methods) in new[]
                 {
                     ("/.well-known/ssf-configuration", new[] { "get" }), ("/ssf/stream", ["get", "post", "patch", "put", "delete"]),
                     ("/ssf/status", ["get", "post"]), ("/ssf/verify", ["post"]), ("/ssf/poll/{streamId}", ["post"]),
                 })
        {
            Assert.True(json.TryGetProperty(path, out var operations), $"{path} is not in the OpenAPI document");
            Assert.All(methods, method => Assert.True(operations.TryGetProperty(method, out _), $"{method} {path} is not documented"));
        }
        Assert.True(json.GetProperty("/ssf/stream").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
    }

    [Theory]
    [InlineData("""{"delivery":{"method":"urn:ietf:rfc:8935"}}""")]
    [InlineData("""{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"ftp://127.0.0.1/x"}}""")]
    [InlineData("""{"delivery":{"method":"urn:ietf:rfc:8935","endpoint_url":"http://user:pw@127.0.0.1/x"}}""")]
    [InlineData("""{"delivery":{"method":"urn:example:smoke-signals"}}""")]
    [InlineData("""{"format":"account_id"}""")]
    [InlineData("""{"events_requested":"not-a-list"}""")]
    [InlineData("""[]""")]
    public async Task ABadStream_IsRefusedWith400(string body)
    {
        var response = await ApiCall.SendAsync(new OAuthClient(app).Http, HttpMethod.Post, "/ssf/stream", await app.TokenAsync(), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Body.GetProperty("err").GetString());
    }
}
