using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Tests.Sessions;

/// <summary>
/// A person's own sessions: <c>GET /v1/users/me/sessions</c>, <c>DELETE /v1/users/me/sessions/{id}</c> and the security
/// page's forms, through the real token endpoint. An ended session's tokens must fail everywhere at once, and no caller
/// may see or end anyone else's session.
/// </summary>
public sealed partial class OwnSessionsApiTests(HubApplication app) : IClassFixture<HubApplication>
{
    private const string SessionsPath = "/v1/users/me/sessions";

    [Fact]
    public async Task List_ShowsTheCallersActiveSessions_WithDeviceIpClientAndTimes_AndMarksTheCurrentOne()
    {
        // Arrange: two sign-ins of the user (one with a very long User-Agent) and one of someone else.
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (_, stranger) = await app.CreateUserAsync(TestData.TenantA);
        var phone = Client("Phone/1.0 (Test)");
        var laptop = Client("Laptop/" + new string('x', 400));
        var phoneToken = await phone.AccessTokenAsync(email);
        await laptop.AccessTokenAsync(email);
        await Client("Stranger/1.0").AccessTokenAsync(stranger);

        // Act
        var list = await ListAsync(phone, phoneToken, TestData.TenantA);

        // Assert
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var sessions = list.Body.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var current = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Equal("Phone/1.0 (Test)", current.GetProperty("user_agent").GetString());
        Assert.Equal("127.0.0.1", current.GetProperty("ip_address").GetString());
        Assert.Equal(TestData.CliClient, current.GetProperty("client_id").GetString());
        Assert.True(current.GetProperty("created_at").GetDateTimeOffset() <= current.GetProperty("last_used_at").GetDateTimeOffset());
        var other = Assert.Single(sessions, s => !s.GetProperty("current").GetBoolean());
        Assert.Equal(256, other.GetProperty("user_agent").GetString()!.Length);
    }

    [Fact]
    public async Task Delete_EndsTheSession_ItsTokensAreRefusedAtTheApiRefreshAndIntrospection_AndItIsAudited()
    {
        // Arrange
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var keeper = Client("Keeper/1.0");
        var keep = await keeper.PasswordGrantAsync(email, TestData.StrongPassword);
        var lost = await keeper.PasswordGrantAsync(email, TestData.StrongPassword);
        var lostId = await CurrentSessionIdAsync(keeper, lost.AccessToken!, TestData.TenantA);

        // Act
        var deleted = await DeleteAsync(keeper, keep.AccessToken!, TestData.TenantA, lostId);

        // Assert: the ended session's tokens fail everywhere; the caller's own session still works.
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        var refused = await ListAsync(keeper, lost.AccessToken!, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("unauthenticated", refused.Code);
        Assert.False(await keeper.IsActiveAsync(lost.AccessToken!));
        Assert.False(await keeper.IsActiveAsync(lost.RefreshToken!, hint: "refresh_token"));
        Assert.Equal("invalid_grant", (await keeper.RefreshAsync(lost.RefreshToken!)).Error);
        var remaining = await ListAsync(keeper, keep.AccessToken!, TestData.TenantA);
        Assert.Equal(HttpStatusCode.OK, remaining.Status);
        Assert.True(Assert.Single(remaining.Body.GetProperty("sessions").EnumerateArray()).GetProperty("current").GetBoolean());
        Assert.False((await keeper.RefreshAsync(keep.RefreshToken!)).IsError);
        var audited = await app.QueryAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.UserId == userId && e.Type == AuditEventTypes.SessionRevoked).ToListAsync());
        Assert.Equal(lostId, Assert.Single(audited).SessionId);

        // The same id again: it has ended, so it is not the caller's active session any more.
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(keeper, keep.AccessToken!, TestData.TenantA, lostId)).Status);
    }

    [Fact]
    public async Task Delete_AnotherUsersSession_OfThisOrAnotherTenant_OrAnUnknownId_Returns404_AndEndsNothing()
    {
        // Arrange: the attacker holds a public client's token (authorization code + PKCE, as a stolen SPA token would be).
        var (_, attacker) = await app.CreateUserAsync(TestData.TenantA);
        var (_, neighbour) = await app.CreateUserAsync(TestData.TenantA);
        var (_, foreigner) = await app.CreateUserAsync(TestData.TenantB);
        var spa = new OAuthClient(app, new CookieContainer());
        var stolen = await spa.AuthorizationCodeAsync(attacker, TestData.StrongPassword);
        Assert.False(stolen.IsError, stolen.Error);
        var neighbourToken = await Client("N/1").AccessTokenAsync(neighbour);
        var foreignClient = Client("F/1");
        var foreign = await foreignClient.PasswordGrantAsync(foreigner, TestData.StrongPassword, TestData.TenantBClient, TestData.TenantBSecret);
        Assert.False(foreign.IsError, foreign.Error);
        var neighbourSession = await CurrentSessionIdAsync(spa, neighbourToken, TestData.TenantA);
        var foreignSession = await CurrentSessionIdAsync(spa, foreign.AccessToken!, TestData.TenantB);

        // Act
        var answers = new[]
        {
            await DeleteAsync(spa, stolen.AccessToken!, TestData.TenantA, neighbourSession),
            await DeleteAsync(spa, stolen.AccessToken!, TestData.TenantA, foreignSession),
            await DeleteAsync(spa, stolen.AccessToken!, TestData.TenantA, "no-such-session"),
        };
        var listed = await ListAsync(spa, stolen.AccessToken!, TestData.TenantA);

        // Assert: one answer for all three, in the v1 shape, and the victims' tokens still work.
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.NotFound, "not_found"), (a.Status, a.Code)));
        Assert.Equal(answers[0].Body.GetProperty("message").GetString(), answers[2].Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ListAsync(spa, neighbourToken, TestData.TenantA)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ListAsync(spa, foreign.AccessToken!, TestData.TenantB)).Status);
        // The code flow's session is the sign-in page's (no client): the attacker's user's one session, nobody else's.
        Assert.True(Assert.Single(listed.Body.GetProperty("sessions").EnumerateArray()).GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task Sessions_WithoutATokenOrWithAnotherTenantsHeader_AreRefusedInTheV1Shape()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var client = Client("T/1");
        var token = await client.AccessTokenAsync(email);

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), Answer(await ListAsync(client, null, TestData.TenantA)));
        Assert.Equal((HttpStatusCode.Forbidden, "tenant_mismatch"), Answer(await ListAsync(client, token, TestData.TenantB)));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), Answer(await ListAsync(client, token, null)));
        Assert.Equal((HttpStatusCode.Forbidden, "tenant_mismatch"), Answer(await DeleteAsync(client, token, TestData.TenantB, "x")));
    }

    [Fact]
    public async Task ManagePage_SignOutEverywhereElse_EndsTheOtherSessions_KeepsThisOne_AndRefusesAPostWithoutAntiforgery()
    {
        // Arrange: a browser session on the page and a token of the same user elsewhere.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app, new CookieContainer());
        var signedIn = await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var elsewhere = await Client("Elsewhere/1").PasswordGrantAsync(email, TestData.StrongPassword);

        // A cross-site form post carries the cookie but no antiforgery token: refused, nothing ends.
        var forged = await browser.Http.PostAsync("/Account/Manage?handler=SignOutOthers", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ListAsync(browser, elsewhere.AccessToken!, TestData.TenantA)).Status);

        // Act
        var page = await (await browser.Http.GetAsync("/Account/Manage")).Content.ReadAsStringAsync();
        Assert.Equal(2, SessionRow().Matches(page).Count);
        var posted = await browser.Http.PostAsync("/Account/Manage?handler=SignOutOthers",
            new FormUrlEncodedContent([new("__RequestVerificationToken", AntiforgeryToken().Match(page).Groups[1].Value)]));

        // Assert: post, redirect, get.
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var after = await (await browser.Http.GetAsync(posted.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"sign-out-result\"", after);
        Assert.Single(SessionRow().Matches(after));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ListAsync(browser, elsewhere.AccessToken!, TestData.TenantA)).Status);
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.UserId == userId && e.Type == AuditEventTypes.OtherSessionsRevoked)));
    }

    [Fact]
    public async Task ManagePage_RevokeAccess_WithAnotherUsersConsentId_ChangesNothing()
    {
        // Arrange: someone else consented to an application; the attacker has that authorization's id.
        var (victimId, _) = await app.CreateUserAsync(TestData.TenantA);
        var (_, attacker) = await app.CreateUserAsync(TestData.TenantA);
        var consentId = await app.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            var authorizations = services.GetRequiredService<IOpenIddictAuthorizationManager>();
            var client = await applications.FindByClientIdAsync(TestData.CliClient);
            var authorization = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
            {
                ApplicationId = await applications.GetIdAsync(client!), Subject = victimId.ToString(), Scopes = { "openid" },
                Type = OpenIddictConstants.AuthorizationTypes.Permanent, Status = OpenIddictConstants.Statuses.Valid, CreationDate = DateTimeOffset.UtcNow,
            });
            return (await authorizations.GetIdAsync(authorization))!;
        });
        var browser = new OAuthClient(app, new CookieContainer());
        await browser.SignInAsync("/Account/Login", attacker, TestData.StrongPassword, TestData.TenantA);
        var page = await (await browser.Http.GetAsync("/Account/Manage")).Content.ReadAsStringAsync();

        // Act
        var posted = await browser.Http.PostAsync("/Account/Manage?handler=RevokeConsent", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", AntiforgeryToken().Match(page).Groups[1].Value), new("id", consentId)]));

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.EndsWith("signedOut=noaccess", posted.Headers.Location!.ToString());
        var status = await app.WithServicesAsync(async services =>
        {
            var authorizations = services.GetRequiredService<IOpenIddictAuthorizationManager>();
            return await authorizations.GetStatusAsync((await authorizations.FindByIdAsync(consentId))!);
        });
        Assert.Equal(OpenIddictConstants.Statuses.Valid, status);
    }

    private OAuthClient Client(string userAgent)
    {
        var client = new OAuthClient(app);
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return client;
    }

    private static (HttpStatusCode, string) Answer(ApiResponse response) => (response.Status, response.Code);

    private static Task<ApiResponse> ListAsync(OAuthClient client, string? token, Guid? tenant) =>
        ApiCall.SendAsync(client.Http, HttpMethod.Get, SessionsPath, token, null, Tenant(tenant));

    private static Task<ApiResponse> DeleteAsync(OAuthClient client, string token, Guid tenant, string sessionId) =>
        ApiCall.SendAsync(client.Http, HttpMethod.Delete, $"{SessionsPath}/{Uri.EscapeDataString(sessionId)}", token, null, Tenant(tenant));

    private static Dictionary<string, string> Tenant(Guid? tenant) => tenant is { } id ? new() { ["X-Tenant-ID"] = id.ToString() } : [];

    private static async Task<string> CurrentSessionIdAsync(OAuthClient client, string token, Guid tenant)
    {
        var list = await ListAsync(client, token, tenant);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        return list.Body.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
    }

    [GeneratedRegex("<tr data-session=")]
    private static partial Regex SessionRow();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
