using System.Net;
using System.Text.Json;
using IdentityHub.BackchannelLogout;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static IdentityHub.Web.Tests.BackchannelLogout.BackchannelLogoutApplication;

namespace IdentityHub.Web.Tests.BackchannelLogout;

/// <summary>
/// OpenID Connect Back-Channel Logout through the real host, the outbox and a real HTTP receiver: when a session ends
/// (a password change through each dialect and the page, end-session, "sign out this device"), each client that got
/// tokens of it, and only those, gets
/// one logout token that validates against the provider's JWKS; a receiver that is down gets it once back up, and one
/// that answers 400 is marked failed and not called again.
/// </summary>
public sealed class BackchannelLogoutTests(BackchannelLogoutApplication app) : IClassFixture<BackchannelLogoutApplication>
{
    [Fact]
    public async Task Discovery_AdvertisesBackchannelLogout_WithSessions()
    {
        var disco = await new OAuthClient(app).DiscoverAsync();

        Assert.True(disco.Json!.Value.GetProperty("backchannel_logout_supported").GetBoolean());
        Assert.True(disco.Json!.Value.GetProperty("backchannel_logout_session_supported").GetBoolean());
    }

    [Fact]
    public async Task V1PasswordChange_SendsOneValidLogoutTokenToEachClientOfEachSession_AndNoneToOthers()
    {
        // Arrange: one browser session signed in to clients A and B, a password-grant session of another client.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        var idTokenA = await SignInWithCodeAsync(browser, email, CodeClientA);
        var idTokenB = await SignInWithCodeAsync(browser, email, CodeClientB);
        Assert.Equal(idTokenA.GetClaim("sid").Value, idTokenB.GetClaim("sid").Value);
        var cliSession = await PasswordGrantSessionAsync(new OAuthClient(app), email, PasswordClient);
        var oauth = new OAuthClient(app);

        // Act: the change is made with a client that has no back-channel URI.
        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        // Assert: one token each for A, B (the browser's session) and the CLI (its own session), all delivered.
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        var received = await app.Receiver.WaitForAsync(r => Of(r, userId).Count >= 3);
        await WaitForRowsAsync(userId, rows => rows.All(m => m.Status == OutboxStatus.Sent));
        received = Of(app.Receiver.Received.ToList(), userId);
        Assert.Equal(["/a", "/b", "/cli"], received.Select(r => r.Path).Order());
        Assert.All(received, r => Assert.StartsWith("application/x-www-form-urlencoded", r.ContentType));
        var tokenA = await ValidateAsync(received.Single(r => r.Path == "/a").LogoutToken!, CodeClientA);
        Assert.Equal(idTokenA.Issuer, tokenA.Issuer);
        Assert.Equal(idTokenA.GetClaim("sid").Value, tokenA.GetClaim("sid").Value);
        Assert.Equal(idTokenA.Subject, tokenA.Subject);
        Assert.Equal(userId.ToString(), tokenA.Subject);
        Assert.Equal(idTokenA.GetClaim("sid").Value, (await ValidateAsync(received.Single(r => r.Path == "/b").LogoutToken!, CodeClientB)).GetClaim("sid").Value);
        Assert.Equal(cliSession, (await ValidateAsync(received.Single(r => r.Path == "/cli").LogoutToken!, PasswordClient)).GetClaim("sid").Value);
        var rows = await RowsAsync(userId);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, m => Assert.Equal(200, m.ResponseStatus));
        Assert.DoesNotContain(rows, m => m.ToAddress == UnusedClient);
    }

    [Theory]
    [InlineData("step-up")]
    [InlineData("envelope")]
    [InlineData("page")]
    public async Task APasswordChangeThroughEachOtherDialectAndThePage_SendsOneLogoutTokenToTheRelyingPartyOfTheSession(string dialect)
    {
        // Arrange: a session of a relying party with a back-channel URI; the change is made from another session.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var sid = await PasswordGrantSessionAsync(new OAuthClient(app), email, PasswordClient);

        // Act
        await ApiCall.ChangeThroughAsync(app, dialect, email);

        // Assert: one token, for that session, delivered; no other client of the fixture told.
        var rows = await WaitForRowsAsync(userId, r => r.All(m => m.Status == OutboxStatus.Sent));
        var row = Assert.Single(rows);
        Assert.Equal(PasswordClient, row.ToAddress);
        var received = Assert.Single(Of(app.Receiver.Received.ToList(), userId));
        Assert.Equal(sid, (await ValidateAsync(received.LogoutToken!, PasswordClient)).GetClaim("sid").Value);
    }

    [Fact]
    public async Task EndSession_SendsALogoutTokenForThatSessionOnly()
    {
        // Arrange: two browsers of one user, both signed in to client A.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var leaving = new OAuthClient(app);
        var staying = new OAuthClient(app);
        var leavingSid = (await SignInWithCodeAsync(leaving, email, CodeClientA)).GetClaim("sid").Value;
        await SignInWithCodeAsync(staying, email, CodeClientA);

        // Act: end-session sends the signed-in browser to the sign-out page, which it confirms.
        var endSession = await leaving.Http.GetAsync("/connect/endsession");
        Assert.Equal(HttpStatusCode.Redirect, endSession.StatusCode);
        var confirmed = await leaving.PostFormAsync(endSession.Headers.Location!.ToString(), []);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);

        // Assert
        await WaitForRowsAsync(userId, rows => rows.Count == 1 && rows[0].Status == OutboxStatus.Sent);
        var received = Assert.Single(Of(app.Receiver.Received.ToList(), userId));
        Assert.Equal("/a", received.Path);
        Assert.Equal(leavingSid, (await ValidateAsync(received.LogoutToken!, CodeClientA)).GetClaim("sid").Value);
    }

    [Fact]
    public async Task SignOutThisDevice_SendsALogoutTokenForThatSessionOnly()
    {
        // Arrange: two password-grant sessions of the client.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var keeper = new OAuthClient(app);
        var keep = await keeper.PasswordGrantAsync(email, TestData.StrongPassword, PasswordClient, Secret, "openid account");
        var lostSid = await PasswordGrantSessionAsync(new OAuthClient(app), email, PasswordClient);

        // Act
        var deleted = await ApiCall.SendAsync(keeper.Http, HttpMethod.Delete, $"/v1/users/me/sessions/{lostSid}", keep.AccessToken, null,
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        await WaitForRowsAsync(userId, rows => rows.Count == 1 && rows[0].Status == OutboxStatus.Sent);
        var received = Assert.Single(Of(app.Receiver.Received.ToList(), userId));
        Assert.Equal(lostSid, (await ValidateAsync(received.LogoutToken!, PasswordClient)).GetClaim("sid").Value);
    }

    [Fact]
    public async Task AReceiverDownDuringTheChange_GetsTheTokenOnceBackUp()
    {
        // Act: the change while the receiver is down; it comes back after a failed attempt.
        var userId = await SignInAndChangePasswordAsync(LateClient);
        var failed = await WaitForRowsAsync(userId, rows => rows.Count == 1 && rows[0].Attempts >= 1);
        Assert.Equal(OutboxStatus.Pending, failed[0].Status);
        Assert.Contains("HttpRequestException", failed[0].LastError);
        await app.LateReceiver.StartAsync();

        // Assert
        var delivered = await WaitForRowsAsync(userId, rows => rows[0].Status == OutboxStatus.Sent);
        Assert.Equal(200, delivered[0].ResponseStatus);
        var received = Assert.Single(Of(app.LateReceiver.Received.ToList(), userId));
        var logout = await ValidateAsync(received.LogoutToken!, LateClient);
        Assert.Equal(failed[0].Id.ToString("N"), logout.Id);
    }

    [Fact]
    public async Task AReceiverAnswering400_IsMarkedFailedAtOnce_AndNotCalledAgain()
    {
        // Act
        var userId = await SignInAndChangePasswordAsync(RefusingClient);

        // Assert: failed after one attempt with the receiver's status; still one request after several retry delays.
        var rows = await WaitForRowsAsync(userId, r => r.Count == 1 && r[0].Status != OutboxStatus.Pending);
        Assert.Equal(OutboxStatus.Failed, rows[0].Status);
        Assert.Equal(1, rows[0].Attempts);
        Assert.Equal(400, rows[0].ResponseStatus);
        await Task.Delay(1000);
        Assert.Single(Of(app.Receiver.Received.ToList(), userId));
        Assert.Equal(1, (await RowsAsync(userId))[0].Attempts);
        // A relying party's refusal is its own problem: the provider's readiness (its email outbox) is unaffected.
        Assert.Equal("Healthy", await app.CreateBrowserlessClient().GetStringAsync("/readyz"));
    }

    /// <summary>A new user signs in with the password grant of <paramref name="clientId"/> and changes the password with that token (v1).</summary>
    private async Task<Guid> SignInAndChangePasswordAsync(string clientId)
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var client = new OAuthClient(app);
        var token = await client.PasswordGrantAsync(email, TestData.StrongPassword, clientId, Secret, "openid account");
        var change = await ApiCall.V1ChangeAsync(client.Http, token.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        return userId;
    }

    /// <summary>The code flow for <paramref name="clientId"/> in this browser; the ID token it gets.</summary>
    private static async Task<JsonWebToken> SignInWithCodeAsync(OAuthClient browser, string email, string clientId)
    {
        var tokens = await browser.AuthorizationCodeAsync(email, TestData.StrongPassword, scope: "openid", clientId: clientId);
        Assert.False(tokens.IsError, tokens.Error);
        return new JsonWebToken(tokens.IdentityToken);
    }

    /// <summary>A password grant of <paramref name="clientId"/>; the <c>sid</c> of the session it started.</summary>
    private static async Task<string> PasswordGrantSessionAsync(OAuthClient client, string email, string clientId)
    {
        var tokens = await client.PasswordGrantAsync(email, TestData.StrongPassword, clientId, Secret, "openid account");
        Assert.False(tokens.IsError, tokens.Error);
        return new JsonWebToken(tokens.AccessToken).GetClaim("sid").Value;
    }

    /// <summary>
    /// Validates a logout token as a relying party must (Back-Channel Logout 1.0, section 2.6) with a stock library
    /// against the JWKS named by discovery: signature, iss, aud, lifetime, typ; then the events claim, and no nonce.
    /// </summary>
    private async Task<JsonWebToken> ValidateAsync(string token, string clientId)
    {
        var oauth = new OAuthClient(app);
        var disco = await oauth.DiscoverAsync();
        var keys = new JsonWebKeySet(await oauth.Http.GetStringAsync(disco.JwksUri));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = disco.Issuer,
            ValidAudience = clientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidTypes = [LogoutTokens.TokenType],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("logout+jwt", jwt.Typ);
        Assert.False(jwt.TryGetPayloadValue<object>("nonce", out _));
        var events = jwt.GetPayloadValue<JsonElement>("events");
        Assert.Equal(JsonValueKind.Object, events.GetProperty("http://schemas.openid.net/event/backchannel-logout").ValueKind);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(TimeSpan.FromMinutes(2), jwt.ValidTo - jwt.IssuedAt);
        return jwt;
    }

    /// <summary>What the receiver got for the user's sessions (read from the unvalidated payload, to filter only).</summary>
    private static List<ReceivedLogout> Of(IReadOnlyList<ReceivedLogout> received, Guid userId) =>
        [.. received.Where(r => r.LogoutToken is { } t && new JsonWebToken(t).Subject == userId.ToString())];

    private async Task<List<OutboxMessage>> RowsAsync(Guid userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>();
        var sub = userId.ToString();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == LogoutTokens.Kind && m.TokenClaims!.Contains(sub)).OrderBy(m => m.ToAddress).ToListAsync();
    }

    private async Task<List<OutboxMessage>> WaitForRowsAsync(Guid userId, Func<List<OutboxMessage>, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var rows = await RowsAsync(userId);
            if (rows.Count > 0 && condition(rows))
            {
                return rows;
            }
            Assert.True(DateTime.UtcNow < until, $"The outbox did not reach the expected state: {rows.Count} row(s), {string.Join(", ", rows.Select(m => $"{m.ToAddress} {m.Status} {m.Attempts} {m.LastError}"))}.");
            await Task.Delay(50);
        }
    }
}
