using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.EmailVerification;

/// <summary>
/// Email verification through the real host: the API sends the email (real SMTP), its link confirms the address on
/// <c>/Account/ConfirmEmail</c>, and <c>email_verified</c> follows in fresh tokens and userinfo.
/// </summary>
public sealed class EmailVerificationApiTests(VerificationApplication app) : IClassFixture<VerificationApplication>
{
    private const string Scopes = "openid email account";
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task VerificationEmail_LinkConfirms_EmailVerifiedFlipsInAFreshTokenAndUserinfo_AndTheLinkWorksOnce()
    {
        // Arrange: a new, unverified user, and what its tokens say now.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA, emailVerified: false);
        var before = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: Scopes);
        Assert.False(new JsonWebToken(before.IdentityToken).GetPayloadValue<bool>("email_verified"));
        Assert.False((await UserInfoAsync(before.AccessToken!)).GetProperty("email_verified").GetBoolean());

        // Act: ask for the email, open its link, confirm.
        var sent = await VerificationApplication.SendVerificationAsync(oauth.Http, before.AccessToken, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Accepted, sent.Status);
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal("Confirm your email address", message.Subject);
        var link = VerificationApplication.VerificationLink(message);
        Assert.NotEmpty(link);
        var page = await oauth.Http.GetStringAsync(link);
        Assert.Contains("confirm-email-form", page);
        Assert.Contains(email, page);
        Assert.False(await IsVerifiedAsync(userId)); // opening the link confirms nothing: only the button does
        var confirmed = await oauth.PostFormAsync(link, []);

        // Assert: confirmed, nobody signed in, audited; fresh tokens and userinfo say so.
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("id=\"email-confirmed\"", await confirmed.Content.ReadAsStringAsync());
        Assert.False(confirmed.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal)));
        Assert.True(await IsVerifiedAsync(userId));
        var after = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: Scopes);
        Assert.True(new JsonWebToken(after.IdentityToken).GetPayloadValue<bool>("email_verified"));
        Assert.True(new JsonWebToken(after.AccessToken).GetPayloadValue<bool>("email_verified"));
        Assert.True((await UserInfoAsync(after.AccessToken!)).GetProperty("email_verified").GetBoolean());
        Assert.Equal(
            [AuditEventTypes.EmailVerificationSent, AuditEventTypes.EmailVerified],
            await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == userId && e.Type.StartsWith("email_")).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync()));

        // The link works once: opened or posted again, it says the address is verified already.
        Assert.Contains("data-reason=\"used\"", await oauth.Http.GetStringAsync(link));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.EmailVerified)));
        // And there is nothing left to send.
        var again = await VerificationApplication.SendVerificationAsync(oauth.Http, after.AccessToken, TestData.TenantA);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("already_verified", again.Body.GetProperty("details").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ALink_ForAnotherTenant_OrWithAnotherUsersId_IsRefused_AndVerifiesNobody()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA, emailVerified: false);
        var (otherId, _) = await app.CreateUserAsync(TestData.TenantA, emailVerified: false);
        var (otherTenantId, _) = await app.CreateUserAsync(TestData.TenantB, emailVerified: false);
        var token = await oauth.AccessTokenAsync(email);
        Assert.Equal(HttpStatusCode.Accepted, (await VerificationApplication.SendVerificationAsync(oauth.Http, token, TestData.TenantA)).Status);
        var link = VerificationApplication.VerificationLink(Assert.Single(await app.Sink.WaitForAsync(email)));
        var linkToken = WebUtility.UrlDecode(link.Split("token=")[1]);

        // The same link under another tenant; the link's token rewrapped for another user, of this tenant or another.
        string[] forged =
        [
            link.Replace($"tenant={TestData.TenantA}", $"tenant={TestData.TenantB}"),
            Rewrapped(link, linkToken, otherId, TestData.TenantA),
            Rewrapped(link, linkToken, otherTenantId, TestData.TenantB),
        ];
        var antiforgery = AntiforgeryToken(await oauth.Http.GetStringAsync(link));
        foreach (var url in forged)
        {
            Assert.Contains("data-reason=\"invalid\"", await oauth.Http.GetStringAsync(url));
            var posted = await oauth.Http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery }));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Contains("data-reason=\"invalid\"", await posted.Content.ReadAsStringAsync());
        }

        Assert.False(await IsVerifiedAsync(userId));
        Assert.False(await IsVerifiedAsync(otherId));
        Assert.False(await IsVerifiedAsync(otherTenantId));
    }

    [Fact]
    public async Task TheApi_Refuses401WithoutAToken_AndSendsAtMostOneEmailPerInterval()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA, emailVerified: false);
        var token = await oauth.AccessTokenAsync(email);

        var anonymous = await VerificationApplication.SendVerificationAsync(oauth.Http, null, TestData.TenantA);
        var wrongTenant = await VerificationApplication.SendVerificationAsync(oauth.Http, token, TestData.TenantB);
        var first = await VerificationApplication.SendVerificationAsync(oauth.Http, token, TestData.TenantA);
        var flood = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => VerificationApplication.SendVerificationAsync(oauth.Http, token, TestData.TenantA)));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("unauthenticated", anonymous.Code);
        Assert.Equal(HttpStatusCode.Forbidden, wrongTenant.Status);
        Assert.Equal("tenant_mismatch", wrongTenant.Code);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.All(flood, response =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.Status);
            Assert.Equal("rate_limited", response.Code);
            Assert.True(int.Parse(response.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 300);
        });
        await app.Sink.WaitForAsync(email);
        Assert.Equal(1, await app.QueryAsync(db => db.Outbox.CountAsync(m => m.ToAddress == email)));
    }

    [Fact]
    public async Task ATenantRequiringVerifiedEmails_SendsNoResetToAnUnverifiedOne_WithTheUnknownEmailsAnswer()
    {
        var http = app.CreateBrowserlessClient();

        var unverified = await app.RequestResetAsync(http, VerificationApplication.VerifiedOnly, VerificationApplication.UnverifiedOnlyUser);
        var unknown = await app.RequestResetAsync(http, VerificationApplication.VerifiedOnly, "nobody@strict.test");
        var verified = await app.RequestResetAsync(http, VerificationApplication.VerifiedOnly, VerificationApplication.VerifiedOnlyUser);

        // The same answer for the unverified and the unknown email, and the same rows (a ticket, an audit event without a user).
        Assert.Equal(HttpStatusCode.Accepted, unverified.Status);
        Assert.Equal(unknown.Status, unverified.Status);
        Assert.Equal(await unknown.Message.Content.ReadAsStringAsync(), await unverified.Message.Content.ReadAsStringAsync());
        Assert.Equal(unknown.Message.Content.Headers.ContentType, unverified.Message.Content.Headers.ContentType);
        Assert.Equal(HttpStatusCode.Accepted, verified.Status);
        Assert.Single(await app.ResetEmailsAsync(VerificationApplication.VerifiedOnlyUser));
        Assert.Equal(0, await app.QueryAsync(db => db.Outbox.CountAsync(m => m.ToAddress == VerificationApplication.UnverifiedOnlyUser)));
        Assert.Equal(2, await app.QueryAsync(db => db.AuditEvents.CountAsync(e =>
            e.TenantId == VerificationApplication.VerifiedOnly && e.Type == AuditEventTypes.PasswordResetRequested && e.UserId == null)));
        Assert.Equal(3, await app.QueryAsync(db => db.PasswordResetTickets.CountAsync(t => t.TenantId == VerificationApplication.VerifiedOnly)));
    }

    private static string AntiforgeryToken(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]*)\"|value=\"([^\"]*)\"[^>]*name=\"__RequestVerificationToken\"") is { Success: true } match
            ? match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value
            : throw new InvalidOperationException("no antiforgery token");

    private Task<bool> IsVerifiedAsync(Guid userId) => app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.EmailConfirmed).SingleAsync());

    /// <summary>A link whose token names <paramref name="userId"/> with the real link's Identity token inside.</summary>
    private static string Rewrapped(string link, string token, Guid userId, Guid tenantId)
    {
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('.', 3);
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{parts[0]}.{userId:N}.{parts[2]}"));
        return link.Split('?')[0] + $"?tenant={tenantId}&token={Uri.EscapeDataString(forged)}";
    }

    private async Task<JsonElement> UserInfoAsync(string accessToken)
    {
        var response = await oauth.Http.GetUserInfoAsync(new UserInfoRequest { Address = (await oauth.DiscoverAsync()).UserInfoEndpoint, Token = accessToken });
        Assert.False(response.IsError, response.Error);
        return JsonDocument.Parse(response.Raw!).RootElement.Clone();
    }
}
