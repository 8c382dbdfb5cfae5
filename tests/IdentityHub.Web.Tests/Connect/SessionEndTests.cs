using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Sessions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// The default fixture plus a confidential code-flow client: its tokens come from a browser session (the sign-in
/// page's cookie) and, being its own, it may introspect them.
/// </summary>
public sealed class SessionEndApplication : HubApplication
{
    public const string WebClient = "test-web";
    public const string WebSecret = "test-web-secret-0123456789";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!;
        seed["Clients"]!.AsArray().Add(JsonSerializer.SerializeToNode(new
        {
            ClientId = WebClient, ClientSecret = WebSecret, GrantTypes = new[] { "authorization_code", "refresh_token" },
            RedirectUris = new[] { TestData.SpaRedirectUri }, Scopes = new[] { "openid", "profile", "offline_access", "account" },
        }));
        settings["Seed"] = seed;
    }
}

/// <summary>
/// When a session ends (a password change, a sign-out), every token of it ends too, at every endpoint that takes
/// one: refresh, userinfo, introspection, the account API.
/// </summary>
public sealed class SessionEndTests(SessionEndApplication app) : IClassFixture<SessionEndApplication>
{
    private const string Scope = "openid profile offline_access account";

    [Fact]
    public async Task TokensFromBeforeAPasswordChange_AreRefusedAtRefreshUserinfoAndIntrospection()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var before = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: Scope);
        Assert.False(before.IsError, before.Error);
        Assert.True(await IntrospectAsync(oauth, before.AccessToken!, TestData.CliClient, TestData.CliSecret));
        Assert.Equal(HttpStatusCode.OK, await UserInfoAsync(oauth, before.AccessToken!));

        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);

        Assert.Equal("invalid_grant", (await oauth.RefreshAsync(before.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoAsync(oauth, before.AccessToken!));
        Assert.False(await IntrospectAsync(oauth, before.AccessToken!, TestData.CliClient, TestData.CliSecret));
        Assert.False(await IntrospectAsync(oauth, before.RefreshToken!, TestData.CliClient, TestData.CliSecret, "refresh_token"));
    }

    [Fact]
    public async Task ASignInThatVerifiedTheOldPassword_AndStartsItsSessionAfterTheChange_GetsAnInactiveSession()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        await using var inFlight = app.Services.CreateAsyncScope();
        var sessions = inFlight.ServiceProvider.GetRequiredService<SessionService>();

        // A sign-in verifies the old password (the real check, the entity it loaded) ...
        var check = await inFlight.ServiceProvider.GetRequiredService<PasswordSignInService>()
            .CheckAsync(TestData.TenantA, email, TestData.StrongPassword, RequestOrigin.None);
        Assert.True(check.Succeeded);
        // ... a password change commits in between ...
        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        // ... and only then does the sign-in write its session.
        var late = await sessions.StartAsync(check.Value, TestData.CliClient);

        Assert.False(await sessions.IsActiveAsync(late.Id, userId));
        // A sign-in with the new password is active as usual.
        var fresh = await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword, scope: Scope);
        Assert.False(fresh.IsError, fresh.Error);
        Assert.True(await sessions.IsActiveAsync(new JsonWebToken(fresh.AccessToken).GetClaim("sid").Value, userId));
    }

    [Fact]
    public async Task ARehashOnSignIn_RotatesTheStamp_ButEndsNoSession()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var earlier = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: Scope);
        Assert.False(earlier.IsError, earlier.Error);
        // The same password, stored with fewer iterations than configured (as after an operator raised them).
        var weaker = new Microsoft.AspNetCore.Identity.PasswordHasher<HubUser>(Microsoft.Extensions.Options.Options.Create(
            new Microsoft.AspNetCore.Identity.PasswordHasherOptions { IterationCount = 500 })).HashPassword(new HubUser(), TestData.StrongPassword);
        var stampBefore = await app.QueryAsync(async db =>
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.PasswordHash, weaker));
            return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
        });

        var later = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: Scope);

        Assert.False(later.IsError, later.Error);
        Assert.NotEqual(stampBefore, await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync()));
        var refreshed = await oauth.RefreshAsync(earlier.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
    }

    [Fact]
    public async Task PageChangeKeepingOtherSessions_KeepsThemWorking_AndSigningOthersOut_EndsThem()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        var signIn = await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var device = new OAuthClient(app);
        var other = await device.PasswordGrantAsync(email, TestData.StrongPassword, scope: Scope);
        Assert.False(other.IsError, other.Error);

        // "Sign me out on other devices" unticked: the stamp rotates, every session moves to the new one.
        var kept = await ChangeOnPageAsync(browser, TestData.StrongPassword, TestData.OtherStrongPassword, signOutOthers: false);
        Assert.Contains("id=\"password-changed\"", kept);

        var refreshed = await device.RefreshAsync(other.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.Equal(HttpStatusCode.OK, await UserInfoAsync(device, refreshed.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Account/Manage")).StatusCode);

        // Ticked: the page's own session stays, the other device's ends.
        var signedOut = await ChangeOnPageAsync(browser, TestData.OtherStrongPassword, TestData.ThirdStrongPassword, signOutOthers: true);
        Assert.Contains("id=\"password-changed\"", signedOut);

        Assert.Equal("invalid_grant", (await device.RefreshAsync(refreshed.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoAsync(device, refreshed.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Account/Manage")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionsTokens_AtIntrospectionUserinfoRefreshAndTheAccountApi()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        var tokens = await browser.AuthorizationCodeAsync(email, TestData.StrongPassword, scope: Scope,
            clientId: SessionEndApplication.WebClient, secret: SessionEndApplication.WebSecret);
        Assert.False(tokens.IsError, tokens.Error);
        Assert.True(await IntrospectAsync(browser, tokens.AccessToken!, SessionEndApplication.WebClient, SessionEndApplication.WebSecret));
        Assert.True(await IntrospectAsync(browser, tokens.RefreshToken!, SessionEndApplication.WebClient, SessionEndApplication.WebSecret, "refresh_token"));
        Assert.Equal(HttpStatusCode.OK, await UserInfoAsync(browser, tokens.AccessToken!));

        var signOut = await browser.PostFormAsync("/Account/Logout", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // Sign-out ends the session, not OpenIddict's token entries: these answers come from the session check alone.
        Assert.False(await IntrospectAsync(browser, tokens.AccessToken!, SessionEndApplication.WebClient, SessionEndApplication.WebSecret));
        Assert.False(await IntrospectAsync(browser, tokens.RefreshToken!, SessionEndApplication.WebClient, SessionEndApplication.WebSecret, "refresh_token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoAsync(browser, tokens.AccessToken!));
        Assert.Equal("invalid_grant", (await browser.RefreshAsync(tokens.RefreshToken!, SessionEndApplication.WebClient, SessionEndApplication.WebSecret)).Error);
        var change = await ApiCall.V1ChangeAsync(browser.Http, tokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, change.Status);
        // Revoking such a token is still answered as RFC 7009 asks (200), there is just nothing left to revoke.
        var revoke = await browser.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = (await browser.DiscoverAsync()).RevocationEndpoint!, ClientId = SessionEndApplication.WebClient,
            ClientSecret = SessionEndApplication.WebSecret, Token = tokens.RefreshToken!, TokenTypeHint = "refresh_token",
        });
        Assert.False(revoke.IsError, revoke.Error);
        Assert.Equal(HttpStatusCode.OK, revoke.HttpStatusCode);
    }

    [Fact]
    public async Task ClientCredentialsTokens_NameNoSession_AndStayActive()
    {
        var oauth = new OAuthClient(app);
        var disco = await oauth.DiscoverAsync();
        var token = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
        });
        Assert.False(token.IsError, token.Error);

        Assert.True(await IntrospectAsync(oauth, token.AccessToken!, TestData.CliClient, TestData.CliSecret));
    }

    private static Task<bool> IntrospectAsync(OAuthClient oauth, string token, string clientId, string secret, string? hint = null) =>
        oauth.IsActiveAsync(token, clientId, secret, hint);

    private static async Task<HttpStatusCode> UserInfoAsync(OAuthClient oauth, string accessToken)
    {
        var info = await oauth.Http.GetUserInfoAsync(new UserInfoRequest { Address = (await oauth.DiscoverAsync()).UserInfoEndpoint, Token = accessToken });
        return info.HttpStatusCode;
    }

    private static async Task<string> ChangeOnPageAsync(OAuthClient browser, string current, string next, bool signOutOthers)
    {
        var response = await browser.PostFormAsync("/Account/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = next,
            ["SignOutOthers"] = signOutOthers ? "true" : "false",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
