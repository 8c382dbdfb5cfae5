using System.Net;
using System.Text.Json;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using static IdentityHub.Web.Tests.SharedSignals.SharedSignalsApplication;

namespace IdentityHub.Web.Tests.SharedSignals;

/// <summary>
/// CAEP events through the real host, the outbox and real receivers: a password change (three dialects, the page, a
/// reset, an administrator) sends each enabled push stream of the user's tenant one <c>credential-change</c> and one
/// <c>session-revoked</c> SET naming the user in the stream's format, valid against the JWKS; poll streams get them
/// when they poll; a receiver that is down gets them once back, one that answers 400 is failed and not called again;
/// another tenant's streams and paused or disabled streams get nothing (a paused one gets them once enabled).
/// </summary>
[Collection(StreamManagementTests.Collection)]
public sealed class SecurityEventDeliveryTests(SharedSignalsApplication app)
{
    [Theory]
    [InlineData("v1")]
    [InlineData("step-up")]
    [InlineData("envelope")]
    [InlineData("page")]
    public async Task APasswordChange_SendsOneCredentialChangeAndOneSessionRevoked_ToEachPushStream_InItsFormat(string dialect)
    {
        // Arrange: three push streams of tenant A in the three formats, a user with a session to end.
        var token = await app.TokenAsync();
        var streams = new List<(string Id, string Path, string Format)>();
        foreach (var format in new[] { "iss_sub", "email", "opaque" })
        {
            var path = $"/{dialect}-{format}-{Guid.NewGuid():N}";
            streams.Add((await app.CreatePushStreamAsync(token, path, format), path, format));
        }
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid account");

        // Act
        await ApiCall.ChangeThroughAsync(app, dialect, email);

        // Assert: per stream, exactly one SET of each type, about this user, valid, with the pushed headers.
        foreach (var (id, path, format) in streams)
        {
            var subject = await app.SubjectAsync(id, format, userId, email);
            var sets = await WaitForSetsAsync(path, subject, 2);
            Assert.All(sets, s => Assert.Equal("application/secevent+jwt", s.Received.ContentType));
            Assert.All(sets, s => Assert.Equal("Bearer receiver-secret", s.Received.Authorization));
            var change = Assert.Single(sets, s => s.Type == CredentialChange).Event;
            Assert.Equal("password", change.GetProperty("credential_type").GetString());
            Assert.Equal("update", change.GetProperty("change_type").GetString());
            Assert.Equal("user", change.GetProperty("initiating_entity").GetString());
            Assert.Contains("changed by the user", change.GetProperty("reason_user").GetProperty("en").GetString());
            Assert.Single(sets, s => s.Type == SessionRevoked);
            if (format == "opaque")
            {
                Assert.DoesNotContain(userId.ToString(), sets[0].Received.Body);
            }
        }
        await Task.Delay(500);
        foreach (var (id, path, format) in streams)
        {
            Assert.Equal(2, (await SetsAsync(path, await app.SubjectAsync(id, format, userId, email))).Count);
        }
        Assert.All(await RowsAsync(streams.Select(s => s.Id)), m => Assert.Equal((OutboxStatus.Sent, 202), (m.Status, m.ResponseStatus ?? 0)));
    }

    [Fact]
    public async Task AResetAndAnAdministratorsNewPassword_SayWhoInitiatedThem()
    {
        var token = await app.TokenAsync();
        var path = $"/initiators-{Guid.NewGuid():N}";
        var id = await app.CreatePushStreamAsync(token, path, events: [CredentialChange]);
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var subject = await app.SubjectAsync(id, "iss_sub", userId, email);

        var http = new OAuthClient(app).Http;
        var reset = await app.ConfirmResetAsync(http, TestData.TenantA, await app.ResetTokenAsync(http, TestData.TenantA, email), TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        var afterReset = Assert.Single(await WaitForSetsAsync(path, subject, 1)).Event;
        var admin = await ApiCall.SendAsync(http, HttpMethod.Put, $"/v1/admin/tenants/{TestData.TenantA}/users/{userId}/password",
            await app.TokenAsync(Admin, "admin"), JsonSerializer.Serialize(new { password = TestData.ThirdStrongPassword }));
        Assert.True(admin.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, $"{admin.Status}: {admin.Body}");
        var afterAdmin = (await WaitForSetsAsync(path, subject, 2))[1].Event;

        Assert.Equal("user", afterReset.GetProperty("initiating_entity").GetString());
        Assert.Contains("reset", afterReset.GetProperty("reason_user").GetProperty("en").GetString());
        Assert.Equal("admin", afterAdmin.GetProperty("initiating_entity").GetString());
        Assert.Contains("administrator", afterAdmin.GetProperty("reason_admin").GetProperty("en").GetString());
    }

    [Fact]
    public async Task APollStream_AnswersWaitingSets_AndAcknowledgedOnesDoNotReappear()
    {
        var token = await app.TokenAsync();
        var id = await app.CreateStreamAsync(token, new { method = Poll }, "email");
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid account");
        await ApiCall.ChangeThroughAsync(app, "v1", email);

        var first = await app.SsfAsync(HttpMethod.Post, $"/ssf/poll/{id}", token, new { maxEvents = 1, returnImmediately = true });
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(first.Body.GetProperty("moreAvailable").GetBoolean());
        var (jti, set) = Assert.Single(first.Body.GetProperty("sets").EnumerateObject()) is var p ? (p.Name, p.Value.GetString()!) : default;
        var validated = await app.ValidateAsync(set, ReceiverA);
        Assert.Equal(jti, validated.Id);
        Assert.Equal(email, validated.GetPayloadValue<JsonElement>("sub_id").GetProperty("email").GetString());

        var second = await app.SsfAsync(HttpMethod.Post, $"/ssf/poll/{id}", token, new { ack = new[] { jti }, returnImmediately = true });
        var rest = second.Body.GetProperty("sets").EnumerateObject().ToList();
        Assert.DoesNotContain(rest, s => s.Name == jti);
        Assert.Single(rest);
        Assert.False(second.Body.GetProperty("moreAvailable").GetBoolean());
        var third = await app.SsfAsync(HttpMethod.Post, $"/ssf/poll/{id}", token, new { ack = new[] { rest[0].Name }, returnImmediately = true });
        Assert.Empty(third.Body.GetProperty("sets").EnumerateObject());
        var types = new[] { set, rest[0].Value.GetString()! }.Select(t => new JsonWebToken(t).GetPayloadValue<JsonElement>("events").EnumerateObject().Single().Name);
        Assert.Equal([CredentialChange, SessionRevoked], types.Order());
        Assert.All(await RowsAsync([id]), m => Assert.True(m.Status == OutboxStatus.Sent && m.SentAt is not null));
        // The change's receipt lists both SETs to the stream (beside those to the tenant's other streams), delivered once acknowledged.
        var receipts = await ApiCall.SendAsync(new OAuthClient(app).Http, HttpMethod.Get, $"/v1/admin/tenants/{TestData.TenantA}/users/{userId}/password-changes",
            await app.TokenAsync(Admin, "admin"), null);
        Assert.Equal(HttpStatusCode.OK, receipts.Status);
        var deliveries = receipts.Body.GetProperty("items").EnumerateArray().Single().GetProperty("deliveries").EnumerateArray()
            .Where(d => d.GetProperty("kind").GetString() == "security_event" && d.GetProperty("recipient").GetString() == id).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AReceiverDownDuringTheChange_GetsEverythingOnceBack()
    {
        var token = await app.TokenAsync();
        var id = await app.CreatePushStreamAsync(token, "/late", receiver: app.LateReceiver);
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid account");

        await ApiCall.ChangeThroughAsync(app, "v1", email);
        var failed = await WaitForRowsAsync(id, rows => rows.Count == 2 && rows.All(m => m.Attempts >= 1));
        Assert.All(failed, m => Assert.Equal(OutboxStatus.Pending, m.Status));
        Assert.All(failed, m => Assert.Contains("HttpRequestException", m.LastError));
        await app.LateReceiver.StartAsync();

        await WaitForRowsAsync(id, rows => rows.All(m => m.Status == OutboxStatus.Sent));
        var sets = await WaitForSetsAsync("/late", await app.SubjectAsync(id, "iss_sub", userId, email), 2, app.LateReceiver);
        Assert.Equal([CredentialChange, SessionRevoked], sets.Select(s => s.Type).Order());
    }

    [Fact]
    public async Task AReceiverAnswering400_IsMarkedFailedWithItsAnswer_AndNotCalledAgain()
    {
        var token = await app.TokenAsync();
        var path = $"/refuse/{Guid.NewGuid():N}";
        var id = await app.CreatePushStreamAsync(token, path, events: [CredentialChange]);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);

        await ApiCall.ChangeThroughAsync(app, "v1", email);

        var rows = await WaitForRowsAsync(id, r => r.Count == 1 && r[0].Status != OutboxStatus.Pending);
        Assert.Equal((OutboxStatus.Failed, 1, 400), (rows[0].Status, rows[0].Attempts, rows[0].ResponseStatus));
        Assert.Contains("invalid_request: The test receiver refuses everything.", rows[0].LastError);
        await Task.Delay(1000);
        Assert.Single(app.Receiver.Received, r => r.Path == path);
    }

    [Fact]
    public async Task AnotherTenantsStream_PausedAndDisabledStreams_GetNothing_UntilAPausedOneIsEnabled()
    {
        var tokenA = await app.TokenAsync();
        var paths = new { B = $"/b-{Guid.NewGuid():N}", Paused = $"/paused-{Guid.NewGuid():N}", Disabled = $"/disabled-{Guid.NewGuid():N}", On = $"/on-{Guid.NewGuid():N}" };
        var streamB = await app.CreatePushStreamAsync(await app.TokenAsync(ReceiverB), paths.B);
        var paused = await app.CreatePushStreamAsync(tokenA, paths.Paused);
        var disabled = await app.CreatePushStreamAsync(tokenA, paths.Disabled);
        var on = await app.CreatePushStreamAsync(tokenA, paths.On);
        Assert.Equal(HttpStatusCode.OK, (await app.SsfAsync(HttpMethod.Post, "/ssf/status", tokenA, new { stream_id = paused, status = "paused" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.SsfAsync(HttpMethod.Post, "/ssf/status", tokenA, new { stream_id = disabled, status = "disabled" })).Status);
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid account");

        await ApiCall.ChangeThroughAsync(app, "v1", email);

        await WaitForSetsAsync(paths.On, await app.SubjectAsync(on, "iss_sub", userId, email), 2);
        await Task.Delay(500);
        Assert.DoesNotContain(app.Receiver.Received, r => r.Path == paths.B || r.Path == paths.Paused || r.Path == paths.Disabled);
        Assert.Empty(await RowsAsync([disabled]));
        Assert.Equal(HttpStatusCode.OK, (await app.SsfAsync(HttpMethod.Post, "/ssf/status", tokenA, new { stream_id = paused, status = "enabled" })).Status);
        var held = await WaitForSetsAsync(paths.Paused, await app.SubjectAsync(paused, "iss_sub", userId, email), 2);
        Assert.Equal([CredentialChange, SessionRevoked], held.Select(s => s.Type).Order());
        Assert.DoesNotContain(app.Receiver.Received, r => r.Path == paths.B);

        // And the other way round: tenant B's change reaches B's stream only.
        var (userB, emailB) = await app.CreateUserAsync(TestData.TenantB);
        var oauthB = new OAuthClient(app);
        var tokenB = await oauthB.PasswordGrantAsync(emailB, TestData.StrongPassword, TestData.TenantBClient, TestData.TenantBSecret, "openid account");
        var changeB = await ApiCall.V1ChangeAsync(oauthB.Http, tokenB.AccessToken, TestData.TenantB, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, changeB.Status);
        await WaitForSetsAsync(paths.B, await app.SubjectAsync(streamB, "iss_sub", userB, emailB), 2, audience: ReceiverB);
        await Task.Delay(500);
        Assert.Empty(await SetsAsync(paths.On, await app.SubjectAsync(on, "iss_sub", userB, emailB)));
        Assert.DoesNotContain(await RowsAsync([on, paused, disabled]), m => m.TokenClaims!.Contains(userB.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReceiverDeletedByAnAdministrator_IsToldNothingMore()
    {
        // Arrange: a receiver created through the admin API opens a stream, then is deleted.
        var http = new OAuthClient(app).Http;
        var admin = await app.TokenAsync(Admin, "admin");
        var clientId = $"ssf-temp-{Guid.NewGuid():N}"[..20];
        var created = await ApiCall.SendAsync(http, HttpMethod.Post, "/v1/admin/clients", admin, JsonSerializer.Serialize(new
        {
            client_id = clientId, tenant_id = TestData.TenantA, grant_types = new[] { "client_credentials" }, scopes = new[] { Scope },
        }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var gone = await app.CreatePushStreamAsync(await app.TokenAsync(clientId, secret: created.Body.GetProperty("client_secret").GetString()!), $"/gone-{Guid.NewGuid():N}");
        var witnessPath = $"/witness-{Guid.NewGuid():N}";
        var witness = await app.CreatePushStreamAsync(await app.TokenAsync(), witnessPath, events: [CredentialChange]);
        Assert.Equal(HttpStatusCode.NoContent, (await ApiCall.SendAsync(http, HttpMethod.Delete, $"/v1/admin/clients/{clientId}", admin, null)).Status);
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);

        // Act
        await ApiCall.ChangeThroughAsync(app, "v1", email);

        // Assert: the live receiver is told; the deleted one's stream gets no SET at all.
        await WaitForSetsAsync(witnessPath, await app.SubjectAsync(witness, "iss_sub", userId, email), 1);
        Assert.Empty(await RowsAsync([gone]));
    }

    private sealed record ReceivedSet(ReceivedLogout Received, JsonWebToken Token, string Type, JsonElement Event);

    /// <summary>The SETs received at <paramref name="path"/> about <paramref name="subject"/>, each validated.</summary>
    private async Task<List<ReceivedSet>> SetsAsync(string path, JsonElement subject, LogoutReceiver? receiver = null, string audience = ReceiverA)
    {
        var sets = new List<ReceivedSet>();
        foreach (var received in (receiver ?? app.Receiver).Received.Where(r => r.Path == path && r.Body is { Length: > 0 }).ToList())
        {
            var token = new JsonWebToken(received.Body);
            if (JsonElement.DeepEquals(token.GetPayloadValue<JsonElement>("sub_id"), subject))
            {
                var validated = await app.ValidateAsync(received.Body!, audience);
                var (type, body) = validated.GetPayloadValue<JsonElement>("events").EnumerateObject().Single() is var e ? (e.Name, e.Value) : default;
                sets.Add(new ReceivedSet(received, validated, type, body));
            }
        }
        return sets;
    }

    private async Task<List<ReceivedSet>> WaitForSetsAsync(string path, JsonElement subject, int count, LogoutReceiver? receiver = null,
        string audience = ReceiverA)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var sets = await SetsAsync(path, subject, receiver, audience);
            if (sets.Count >= count)
            {
                return sets;
            }
            Assert.True(DateTime.UtcNow < until, $"{path} got {sets.Count} SET(s) about {subject}, not {count}.");
            await Task.Delay(50);
        }
    }

    private Task<List<OutboxMessage>> RowsAsync(IEnumerable<string> streamIds)
    {
        var ids = streamIds.ToList();
        return app.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => ids.Contains(m.ToAddress)).OrderBy(m => m.CreatedAt).ToListAsync());
    }

    private async Task<List<OutboxMessage>> WaitForRowsAsync(string streamId, Func<List<OutboxMessage>, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var rows = await RowsAsync([streamId]);
            if (rows.Count > 0 && condition(rows))
            {
                return rows;
            }
            Assert.True(DateTime.UtcNow < until, $"The outbox did not reach the expected state: {string.Join(", ", rows.Select(m => $"{m.Kind} {m.Status} {m.Attempts} {m.LastError}"))}.");
            await Task.Delay(50);
        }
    }
}
