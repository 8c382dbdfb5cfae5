using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static IdentityHub.Web.Tests.Receipts.ReceiptsApplication;

namespace IdentityHub.Web.Tests.Receipts;

/// <summary>
/// Issue 17, item 4: every successful password change (three dialects, the page, a reset, an administrator) records a
/// receipt of what it ended and whom it told; the caller gets its id; the user reads their own, administrators their
/// tenant's, and nobody else any.
/// </summary>
public sealed class PasswordChangeReceiptTests(ReceiptsApplication app) : IClassFixture<ReceiptsApplication>
{
    private const string Header = "Password-Change-Id";

    [Fact]
    public async Task V1Change_AnswersWithLocationAndId_AndTheReceiptListsWhatEnded_AndEachDeliverysFinalStatus()
    {
        // Arrange: three sessions, each with refresh tokens: of a client told at an endpoint answering 200, of one
        // answering 400, and the caller's own (a client without a back-channel URI).
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await SignInAsync(email, NotifiedClient);
        await SignInAsync(email, RefusingClient);
        var oauth = new OAuthClient(app);
        var access = await oauth.AccessTokenAsync(email);
        var before = await HoldingsAsync(userId);
        Assert.Equal(3, before.Sessions);
        Assert.True(before.Tokens >= 3, $"{before.Tokens} valid tokens");

        // Act
        var change = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        // Assert: the id in the header and in Location; everything the user held is gone, and the receipt says how much.
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        var id = Guid.Parse(change.Header(Header)!);
        Assert.Equal($"/v1/users/me/password-changes/{id}", change.Message.Headers.Location?.OriginalString);
        Assert.Equal((0, 0L, 0L), await HoldingsAsync(userId));
        var receipt = await WaitForFinalAsync(email, id);
        Assert.Equal(id, receipt.GetProperty("id").GetGuid());
        Assert.Equal(userId, receipt.GetProperty("user_id").GetGuid());
        Assert.Equal(TestData.TenantA, receipt.GetProperty("tenant_id").GetGuid());
        Assert.Equal("user", receipt.GetProperty("initiator").GetString());
        Assert.Equal("v1", receipt.GetProperty("channel").GetString());
        Assert.Equal(before.Sessions, receipt.GetProperty("sessions_ended").GetInt32());
        Assert.Equal(before.Tokens, receipt.GetProperty("tokens_revoked").GetInt64());
        Assert.Equal(before.Authorizations, receipt.GetProperty("authorizations_revoked").GetInt64());
        var deliveries = receipt.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("recipient").GetString()!);
        Assert.Equal(new[] { email, NotifiedClient, RefusingClient }.Order(StringComparer.Ordinal), deliveries.Keys.Order(StringComparer.Ordinal));
        var mail = deliveries[email];
        Assert.Equal(("email", "delivered"), (mail.GetProperty("kind").GetString(), mail.GetProperty("status").GetString()));
        Assert.True(mail.GetProperty("delivered_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Single(await app.Sink.WaitForAsync(email));
        var told = deliveries[NotifiedClient];
        Assert.Equal(("backchannel_logout", "delivered", 200, 1), (told.GetProperty("kind").GetString(), told.GetProperty("status").GetString(),
            told.GetProperty("http_status").GetInt32(), told.GetProperty("attempts").GetInt32()));
        Assert.True(told.TryGetProperty("delivered_at", out _));
        var refused = deliveries[RefusingClient];
        Assert.Equal(("backchannel_logout", "failed", 400, 1), (refused.GetProperty("kind").GetString(), refused.GetProperty("status").GetString(),
            refused.GetProperty("http_status").GetInt32(), refused.GetProperty("attempts").GetInt32()));
        Assert.False(refused.TryGetProperty("delivered_at", out _));
        // Our error text can name a relying party's address: its administrators read it, the user does not.
        Assert.False(refused.TryGetProperty("error", out _));
        var administered = await app.AdminGetAsync($"/v1/admin/tenants/{TestData.TenantA}/users/{userId}/password-changes/{id}");
        var refusedForAdmins = administered.Body.GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("recipient").GetString() == RefusingClient);
        Assert.Equal("The receiver answered 400.", refusedForAdmins.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("step-up")]
    [InlineData("envelope")]
    public async Task OtherDialects_KeepTheirSeedBodies_AndCarryTheReceiptsIdInTheHeader(string dialect)
    {
        // Arrange
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);

        // Act
        ApiResponse change;
        if (dialect == "step-up")
        {
            var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
            change = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        }
        else
        {
            change = await ApiCall.EnvelopeChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.StrongPassword, TestData.OtherStrongPassword);
        }

        // Assert: the seed's body, the id beside it, and a receipt of the change by that dialect.
        Assert.Equal(HttpStatusCode.OK, change.Status);
        if (dialect == "envelope")
        {
            Assert.Equal("""{"code":200,"message":"password changed successfully","data":{}}""", change.Body.GetRawText());
        }
        else
        {
            Assert.Equal(["created_at", "email", "email_verified", "id", "locale", "name", "password_changed_at", "tenant_id", "updated_at"],
                change.Body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(userId, change.Body.GetProperty("id").GetGuid());
        }
        Assert.Null(change.Message.Headers.Location);
        var id = Guid.Parse(change.Header(Header)!);
        var receipt = await ReadAsync(email, TestData.OtherStrongPassword, id);
        Assert.Equal(HttpStatusCode.OK, receipt.Status);
        Assert.Equal(dialect, receipt.Body.GetProperty("channel").GetString());
        Assert.Equal("user", receipt.Body.GetProperty("initiator").GetString());
        Assert.Equal(1, receipt.Body.GetProperty("sessions_ended").GetInt32());
        Assert.Equal("email", Assert.Single(receipt.Body.GetProperty("deliveries").EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task AResetAndAnAdministratorsPassword_RecordReceiptsWithTheirInitiator_WhichTheTenantsAdministratorsRead_AndNoOtherTenants()
    {
        // Arrange
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var http = new OAuthClient(app).Http;
        var path = $"/v1/admin/tenants/{TestData.TenantA}/users/{userId}/password-changes";

        // Act: a reset through the emailed link, then an administrator sets a password.
        var resetToken = await app.ResetTokenAsync(http, TestData.TenantA, email);
        Assert.Equal(HttpStatusCode.NoContent, (await app.ConfirmResetAsync(http, TestData.TenantA, resetToken, TestData.OtherStrongPassword)).Status);
        var set = await app.AdminAsync(HttpMethod.Put, $"/v1/admin/tenants/{TestData.TenantA}/users/{userId}/password", new { password = TestData.ThirdStrongPassword });
        Assert.Equal(HttpStatusCode.NoContent, set.Status);

        // Assert: newest first, each with its initiator; one reads alone; tenant B's administrator finds neither.
        var list = await app.AdminGetAsync(path);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var items = list.Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, list.Body.GetProperty("total").GetInt32());
        Assert.Equal([("admin", "admin"), ("reset", "v1")], items.Select(i => (i.GetProperty("initiator").GetString(), i.GetProperty("channel").GetString())));
        var resetId = items[1].GetProperty("id").GetGuid();
        var one = await app.AdminGetAsync($"{path}/{resetId}");
        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Equal("reset", one.Body.GetProperty("initiator").GetString());
        Assert.Equal(userId, one.Body.GetProperty("user_id").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await app.AdminGetAsync(path, AdminOfB)).Status);
        var foreign = await app.AdminGetAsync($"{path}/{resetId}", AdminOfB);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (foreign.Status, foreign.Code));
        // Another account of the tenant does not have this receipt.
        var (otherId, _) = await app.CreateUserAsync(TestData.TenantA);
        var elsewhere = await app.AdminGetAsync($"/v1/admin/tenants/{TestData.TenantA}/users/{otherId}/password-changes/{resetId}");
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (elsewhere.Status, elsewhere.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await app.AdminGetAsync($"{path}/not-a-uuid")).Status);
    }

    [Fact]
    public async Task AReceipt_IsReadOnlyByItsOwnUser_AnyoneElseGets401_403Or404()
    {
        // Arrange: the owner's change; another user of the tenant; a user of tenant B.
        var (_, owner) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(owner), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        var id = Guid.Parse(change.Header(Header)!);
        var (_, neighbour) = await app.CreateUserAsync(TestData.TenantA);
        var (_, foreigner) = await app.CreateUserAsync(TestData.TenantB);
        var foreignToken = await oauth.PasswordGrantAsync(foreigner, TestData.StrongPassword, TestData.TenantBClient, TestData.TenantBSecret);

        // Act and assert
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(owner, TestData.OtherStrongPassword, id)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(null, TestData.TenantA, Receipt(id))).Status);
        var neighbours = await ReadAsync(neighbour, TestData.StrongPassword, id);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (neighbours.Status, neighbours.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(foreignToken.AccessToken, TestData.TenantB, Receipt(id))).Status);
        var mismatch = await GetAsync(foreignToken.AccessToken, TestData.TenantA, Receipt(id));
        Assert.Equal((HttpStatusCode.Forbidden, "tenant_mismatch"), (mismatch.Status, mismatch.Code));
        var ownerToken = await new OAuthClient(app).AccessTokenAsync(owner, TestData.OtherStrongPassword);
        foreach (var other in new[] { Guid.NewGuid().ToString(), "not-a-uuid", Uri.EscapeDataString("1' OR '1'='1") })
        {
            var unknown = await GetAsync(ownerToken, TestData.TenantA, $"/v1/users/me/password-changes/{other}");
            Assert.True(unknown.Status == HttpStatusCode.NotFound && unknown.Code == "not_found", $"{other}: {unknown.Status} {unknown.Body}");
        }
        var mine = await GetAsync(ownerToken, TestData.TenantA, "/v1/users/me/password-changes");
        Assert.Equal([id], mine.Body.GetProperty("password_changes").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        var theirs = await GetAsync(await new OAuthClient(app).AccessTokenAsync(neighbour), TestData.TenantA, "/v1/users/me/password-changes");
        Assert.Empty(theirs.Body.GetProperty("password_changes").EnumerateArray());
        var badPage = await GetAsync(ownerToken, TestData.TenantA, "/v1/users/me/password-changes?size=1000");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (badPage.Status, badPage.Code));
    }

    [Fact]
    public async Task ASessionPastItsIdleLifetime_IsNotCountedAsEnded_NorToldAgain()
    {
        // Arrange: a session of a told client, then 15 days without use (the idle lifetime is 14).
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await SignInAsync(email, NotifiedClient);
        app.Clock.Advance(TimeSpan.FromDays(15));
        try
        {
            var oauth = new OAuthClient(app);

            // Act
            var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

            // Assert: only the caller's live session counts; the idle one had already ended, and its client hears nothing.
            var receipt = await ReadAsync(email, TestData.OtherStrongPassword, Guid.Parse(change.Header(Header)!));
            Assert.Equal(1, receipt.Body.GetProperty("sessions_ended").GetInt32());
            Assert.Equal(["email"], receipt.Body.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromDays(-15));
        }
    }

    [Fact]
    public async Task AFailedChange_RecordsNoReceipt_AndAnswersWithoutAnId()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);

        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, "Wrong-Password-123", TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, change.Status);
        Assert.Null(change.Header(Header));
        Assert.Null(change.Message.Headers.Location);
        Assert.Equal(0, await app.QueryAsync(db => db.PasswordChangeReceipts.CountAsync(r => r.UserId == userId)));
    }

    [Fact]
    public async Task ThePage_ShowsTheReceipt_DevicesSignedOutAndApplicationsTold()
    {
        // Arrange: the page's own session, and another device signed in to a client with a back-channel URI.
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await SignInAsync(email, NotifiedClient);
        var browser = new OAuthClient(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);

        // Act
        var changed = await browser.PostFormAsync("/Account/ChangePassword", new()
        {
            ["CurrentPassword"] = TestData.StrongPassword, ["NewPassword"] = TestData.OtherStrongPassword, ["ConfirmPassword"] = TestData.OtherStrongPassword,
            ["SignOutOthers"] = "true",
        });

        // Assert: the other device is signed out (the page's own session stays); its client is told, or being told.
        var html = await changed.Content.ReadAsStringAsync();
        Assert.Contains("id=\"password-changed\"", html);
        var lines = Regex.Matches(html, "<li data-key=\"([^\"]+)\">([^<]*)</li>").Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        Assert.Equal(("Receipt_Sessions_1", "Signed out of 1 device."), lines[0]);
        Assert.Single(lines.Skip(1));
        Assert.Contains(lines[1], new[] { ("Receipt_Pending_1", "1 application being notified."), ("Receipt_Notified_1", "1 application notified.") });
        var id = Guid.Parse(Regex.Match(html, "data-receipt-id=\"([^\"]+)\"").Groups[1].Value);
        var receipt = await ReadAsync(email, TestData.OtherStrongPassword, id);
        Assert.Equal(("page", 1), (receipt.Body.GetProperty("channel").GetString(), receipt.Body.GetProperty("sessions_ended").GetInt32()));
    }

    private static string Receipt(Guid id) => $"/v1/users/me/password-changes/{id}";

    /// <summary>A password grant of <paramref name="clientId"/> with a refresh token: one session, with stored tokens.</summary>
    private async Task SignInAsync(string email, string clientId)
    {
        var tokens = await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword, clientId, Secret);
        Assert.False(tokens.IsError, tokens.Error);
    }

    /// <summary>What the user holds now: active sessions, valid OpenIddict authorizations and tokens.</summary>
    private Task<(int Sessions, long Authorizations, long Tokens)> HoldingsAsync(Guid userId)
    {
        var subject = userId.ToString();
        return app.QueryAsync(async db => (
            await db.Sessions.CountAsync(s => s.UserId == userId && s.RevokedAt == null),
            (long)await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync(a => a.Subject == subject && a.Status == "valid"),
            (long)await db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Subject == subject && t.Status == "valid")));
    }

    private Task<ApiResponse> GetAsync(string? accessToken, Guid tenant, string path) =>
        ApiCall.SendAsync(new OAuthClient(app).Http, HttpMethod.Get, path, accessToken, null,
            new Dictionary<string, string> { ["X-Tenant-ID"] = tenant.ToString() });

    /// <summary>The receipt as its user reads it, signed in with <paramref name="password"/>.</summary>
    private async Task<ApiResponse> ReadAsync(string email, string password, Guid id) =>
        await GetAsync(await new OAuthClient(app).AccessTokenAsync(email, password), TestData.TenantA, Receipt(id));

    /// <summary>The receipt once none of its deliveries is pending any more.</summary>
    private async Task<JsonElement> WaitForFinalAsync(string email, Guid id)
    {
        var token = await new OAuthClient(app).AccessTokenAsync(email, TestData.OtherStrongPassword);
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var read = await GetAsync(token, TestData.TenantA, Receipt(id));
            Assert.Equal(HttpStatusCode.OK, read.Status);
            if (read.Body.GetProperty("deliveries").EnumerateArray().All(d => d.GetProperty("status").GetString() != "pending"))
            {
                return read.Body;
            }
            Assert.True(DateTime.UtcNow < until, $"Deliveries still pending: {read.Body}");
            await Task.Delay(100);
        }
    }
}
