using System.Net;
using IdentityHub.Audit;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.PasswordResets;

/// <summary>
/// Forgotten passwords through <c>POST /v1/password-resets</c> and <c>/confirm</c>, on the real host with a real SMTP
/// server: the whole story, the links' single use, expiry and superseding, the tenant's policy and Cedar policies.
/// </summary>
public sealed class PasswordResetApiTests(ResetApplication app) : IClassFixture<ResetApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task ForgotEmailReset_SignsInWithTheNewPassword_AndEndsEveryOldSessionAndToken()
    {
        // Arrange: a user with a session's access and refresh tokens.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var before = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid offline_access account");
        Assert.False(before.IsError, before.Error);

        // Act: forgot, the email's link, reset.
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);
        var reset = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.ThirdStrongPassword);

        // Assert: the new password signs in, the old does not; every earlier token is dead.
        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.ThirdStrongPassword)).IsError);
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
        Assert.Equal("invalid_grant", (await oauth.RefreshAsync(before.RefreshToken!)).Error);
        Assert.False(await oauth.IsActiveAsync(before.AccessToken!));
        var change = await ApiCall.V1ChangeAsync(oauth.Http, before.AccessToken, TestData.TenantA, TestData.ThirdStrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, change.Status);

        // The password-changed email follows, with its "reset your password" link; both are audited.
        var messages = await app.Sink.WaitForAsync(email, 2);
        var changed = Assert.Single(messages, m => m.Subject == "Your password was changed");
        Assert.Contains($"/Account/ForgotPassword?tenant={TestData.TenantA}", changed.TextBody);
        Assert.Contains("Reset your password", changed.HtmlBody);
        var events = await app.QueryAsync(db => db.AuditEvents.Where(a => a.UserId == userId).Select(a => a.Type).ToListAsync());
        Assert.Contains(AuditEventTypes.PasswordResetRequested, events);
        Assert.Contains(AuditEventTypes.PasswordReset, events);
    }

    [Fact]
    public async Task UnknownAndKnownEmails_GetTheSameAnswer_AndTheSameWritesButTheOutboxRow()
    {
        var (userId, known) = await app.CreateUserAsync(TestData.TenantA);
        var unknown = $"nobody-{Guid.NewGuid():N}@acme.test";
        var stamp = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.ConcurrencyStamp).SingleAsync());

        var (knownResponse, knownWrites) = await CountingWritesAsync(() => app.RequestResetAsync(oauth.Http, TestData.TenantA, known));
        var (unknownResponse, unknownWrites) = await CountingWritesAsync(() => app.RequestResetAsync(oauth.Http, TestData.TenantA, unknown));
        // An account without a local password (signs in elsewhere) gets no link either, and the same answer.
        var (ssoResponse, ssoWrites) = await CountingWritesAsync(() => app.RequestResetAsync(oauth.Http, TestData.TenantA, "sso-only@acme.test"));

        Assert.Equal(HttpStatusCode.Accepted, knownResponse.Status);
        Assert.Equal(knownResponse.Status, unknownResponse.Status);
        Assert.Equal(await knownResponse.Message.Content.ReadAsStringAsync(), await unknownResponse.Message.Content.ReadAsStringAsync());
        Assert.Equal(knownResponse.Message.Content.Headers.ContentType, unknownResponse.Message.Content.Headers.ContentType);
        Assert.Equal((Tickets: 1, Audit: 1, Outbox: 1), knownWrites);
        Assert.Equal((Tickets: 1, Audit: 1, Outbox: 0), unknownWrites);
        Assert.Equal((Tickets: 1, Audit: 1, Outbox: 0), ssoWrites);
        Assert.Equal(await knownResponse.Message.Content.ReadAsStringAsync(), await ssoResponse.Message.Content.ReadAsStringAsync());
        // The account itself is not written by a request (no stamp, no counter): only a reset changes it.
        Assert.Equal(stamp, await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.ConcurrencyStamp).SingleAsync()));
        Assert.Single(await app.ResetEmailsAsync(known));
    }

    private async Task<(ApiResponse Response, (int Tickets, int Audit, int Outbox) Writes)> CountingWritesAsync(Func<Task<ApiResponse>> request)
    {
        var before = await CountsAsync();
        var response = await request();
        var after = await CountsAsync();
        return (response, (after.Tickets - before.Tickets, after.Audit - before.Audit, after.Outbox - before.Outbox));
    }

    private Task<(int Tickets, int Audit, int Outbox)> CountsAsync() => app.QueryAsync(async db => (
        await db.PasswordResetTickets.CountAsync(),
        await db.AuditEvents.CountAsync(),
        await db.Outbox.CountAsync(m => m.Kind == PasswordResetNotifier.Kind)));

    [Fact]
    public async Task ALink_WorksOnce()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);

        Assert.Equal(HttpStatusCode.NoContent, (await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.ThirdStrongPassword)).Status);
        var again = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.OtherStrongPassword);

        AssertRefused(again, "used");
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.ThirdStrongPassword)).IsError);
    }

    [Fact]
    public async Task TwoRacingUsesOfOneLink_OneWins_TheOtherIsToldItWasUsed()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);

        var answers = await Task.WhenAll(
            app.ConfirmResetAsync(app.CreateBrowserlessClient(), TestData.TenantA, token, TestData.ThirdStrongPassword),
            app.ConfirmResetAsync(app.CreateBrowserlessClient(), TestData.TenantA, token, TestData.OtherStrongPassword));

        Assert.Single(answers, a => a.Status == HttpStatusCode.NoContent);
        AssertRefused(Assert.Single(answers, a => a.Status != HttpStatusCode.NoContent), "used");
    }

    [Fact]
    public async Task ALink_PastItsLifetime_IsRefusedAsExpired()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        ApiResponse late;
        try
        {
            late = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.ThirdStrongPassword);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-31));
        }

        AssertRefused(late, "expired");
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task AnEarlierLink_IsSupersededByANewerRequest()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var first = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);
        var second = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email, nth: 2);

        AssertRefused(await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, first, TestData.ThirdStrongPassword), "superseded");
        Assert.Equal(HttpStatusCode.NoContent, (await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, second, TestData.ThirdStrongPassword)).Status);
    }

    [Fact]
    public async Task AReusedPassword_IsRefusedInTheV1Shape_AndTheAccountAndLinkStayAsTheyWere()
    {
        // Arrange: StrongPassword, then OtherStrongPassword; the strict preset remembers both.
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        Assert.Equal(HttpStatusCode.NoContent, (await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA,
            TestData.StrongPassword, TestData.OtherStrongPassword)).Status);
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);

        var reused = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.StrongPassword);
        var current = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Equal("weak_password", reused.Code);
        Assert.Equal(["reused_password"], reused.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("same_as_current", current.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
        // A refused password leaves the link usable.
        Assert.Equal(HttpStatusCode.NoContent, (await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.ThirdStrongPassword)).Status);
    }

    [Theory]
    [InlineData("en", ResetApplication.ContractorNotice)]
    [InlineData("fr", ResetApplication.ContractorNoticeFr)]
    public async Task TheTenantsCedarPolicies_CanForbidAReset_WithTheirNotice(string language, string notice)
    {
        var (userId, email) = await app.CreateUserAsync(ResetApplication.Contractors, domain: "contractors.test");
        var token = await app.ResetTokenAsync(oauth.Http, ResetApplication.Contractors, email);
        var hash = await PasswordHashAsync(userId);

        var refused = await app.ConfirmResetAsync(oauth.Http, ResetApplication.Contractors, token, TestData.ThirdStrongPassword,
            new Dictionary<string, string> { ["Accept-Language"] = language });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("forbidden_by_policy", refused.Code);
        Assert.Equal([notice], refused.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(hash, await PasswordHashAsync(userId));
    }

    private Task<string?> PasswordHashAsync(Guid userId) => app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());

    [Fact]
    public async Task AResetEndsTheAccountsLockout()
    {
        // Arrange: five failures from five addresses lock the account for everyone (not one address out of it).
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        for (var i = 0; i < 5; i++)
        {
            await new OAuthClient(app, from: Loopback.NextAddress()).PasswordGrantAsync(email, "Wrong-Password-" + i);
        }
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);

        Assert.Equal(HttpStatusCode.NoContent, (await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.ThirdStrongPassword)).Status);

        Assert.False((await oauth.PasswordGrantAsync(email, TestData.ThirdStrongPassword)).IsError);
    }

    [Fact]
    public async Task ALinkOfOneTenant_IsRefusedInAnother()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await app.ResetTokenAsync(oauth.Http, TestData.TenantA, email);

        AssertRefused(await app.ConfirmResetAsync(oauth.Http, TestData.TenantB, token, TestData.ThirdStrongPassword), "invalid");
        Assert.Equal(HttpStatusCode.NoContent, (await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.ThirdStrongPassword)).Status);
    }

    public static TheoryData<string, string, HttpStatusCode, string, string?> BadRequests => new()
    {
        // path, body, status, code, details.field or details.reason
        { "/v1/password-resets", """{"email": "no-at-sign"}""", HttpStatusCode.BadRequest, "invalid_request", "email" },
        { "/v1/password-resets", """{"email": 42}""", HttpStatusCode.BadRequest, "invalid_request", "email" },
        { "/v1/password-resets", """["not", "an", "object"]""", HttpStatusCode.BadRequest, "invalid_request", null },
        { "/v1/password-resets/confirm", """{"new_password": "Velvet#Harbor-Quartz-73"}""", HttpStatusCode.BadRequest, "invalid_request", "token" },
        { "/v1/password-resets/confirm", """{"token": "forged", "new_password": "Velvet#Harbor-Quartz-73"}""", HttpStatusCode.BadRequest, "invalid_reset_token", "invalid" },
        { "/v1/password-resets/confirm", """{"token": "forged"}""", HttpStatusCode.BadRequest, "invalid_request", "new_password" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_IsAnsweredInTheV1Shape(string path, string body, HttpStatusCode status, string code, string? detail)
    {
        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, path, null, body,
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });

        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.Code);
        if (detail is not null)
        {
            var details = response.Body.GetProperty("details");
            Assert.Equal(detail, (details.TryGetProperty("field", out var field) && field.ValueKind == System.Text.Json.JsonValueKind.String ? field : details.GetProperty("reason")).GetString());
        }
    }

    [Fact]
    public async Task TheTenantHeader_IsRequired_AndMustNameATenant()
    {
        var missing = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/password-resets", null, """{"email": "a@acme.test"}""");
        var unknown = await app.RequestResetAsync(oauth.Http, Guid.NewGuid(), "a@acme.test");
        var notJson = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/password-resets", null, "email=a@acme.test",
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() }, "application/x-www-form-urlencoded");

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request", "X-Tenant-ID"), (missing.Status, missing.Code, missing.Body.GetProperty("details").GetProperty("field").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.Status, unknown.Code));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), (notJson.Status, notJson.Code));
    }

    private static void AssertRefused(ApiResponse response, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_reset_token", response.Code);
        Assert.Equal(reason, response.Body.GetProperty("details").GetProperty("reason").GetString());
    }
}
