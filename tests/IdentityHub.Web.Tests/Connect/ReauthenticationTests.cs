using System.Net;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// Re-authentication the standard way (OpenID Connect <c>max_age</c> and <c>prompt=login</c>, RFC 9470): the signed-in
/// user enters the password again, in the same session, and the new ID token's <c>auth_time</c> says when.
/// </summary>
public sealed class ReauthenticationTests(HubApplication app) : IClassFixture<HubApplication>
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWjOEjXk";
    private static readonly string Challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(Verifier)));

    [Fact]
    public async Task MaxAge_OlderThanTheSignIn_AsksForThePasswordAgain_InTheSameSession()
    {
        var (browser, first) = await SignedInAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        // A recent enough sign-in passes straight through.
        var fresh = await AuthorizeAsync(browser, maxAge: 3600);
        Assert.StartsWith(TestData.SpaRedirectUri, fresh.Headers.Location!.ToString());

        var stale = await AuthorizeAsync(browser, maxAge: 300);
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.StartsWith("/Account/Reauthenticate", stale.Headers.Location!.ToString());
        var tokens = await ReauthenticateAsync(browser, stale, TestData.StrongPassword);

        var before = new JsonWebToken(first.IdentityToken);
        var after = new JsonWebToken(tokens.IdentityToken);
        Assert.Equal(before.GetClaim("sid").Value, after.GetClaim("sid").Value);
        Assert.InRange(after.GetPayloadValue<long>("auth_time") - before.GetPayloadValue<long>("auth_time"), 599, 700);
        Assert.InRange(app.Clock.GetUtcNow().ToUnixTimeSeconds() - after.GetPayloadValue<long>("auth_time"), 0, 60);
    }

    [Fact]
    public async Task PromptLogin_AsksForThePasswordAgain_AndAWrongOneGetsNoCode()
    {
        var (browser, _) = await SignedInAsync();

        var response = await AuthorizeAsync(browser, prompt: "login");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Reauthenticate", response.Headers.Location!.ToString());
        var wrong = await browser.PostFormAsync(response.Headers.Location!.ToString(), new() { ["Password"] = TestData.OtherStrongPassword });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("role=\"alert\"", await wrong.Content.ReadAsStringAsync());

        var tokens = await ReauthenticateAsync(browser, response, TestData.StrongPassword);
        Assert.False(tokens.IsError, tokens.Error + tokens.ErrorDescription);
    }

    [Fact]
    public async Task PromptNone_WithoutASession_OrWithAStaleOne_AnswersLoginRequired()
    {
        var stranger = new OAuthClient(app);
        var noSession = await AuthorizeAsync(stranger, prompt: "none");
        var (browser, _) = await SignedInAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var stale = await AuthorizeAsync(browser, prompt: "none", maxAge: 60);

        foreach (var response in new[] { noSession, stale })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.StartsWith(TestData.SpaRedirectUri, location.ToString());
            Assert.Equal("login_required", QueryHelpers.ParseQuery(location.Query)["error"].ToString());
            Assert.False(QueryHelpers.ParseQuery(location.Query).ContainsKey("code"));
        }
    }

    [Theory]
    [InlineData("consent")]
    [InlineData("select_account")]
    public async Task PromptValues_NotAdvertised_AreRefused(string prompt)
    {
        var (browser, _) = await SignedInAsync();

        var response = await AuthorizeAsync(browser, prompt: prompt);

        // OpenIddict refuses the request on its own error page: no redirect, no sign-in page, no code.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private async Task<(OAuthClient Browser, TokenResponse Tokens)> SignedInAsync()
    {
        var browser = new OAuthClient(app);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await browser.AuthorizationCodeAsync(email, TestData.StrongPassword, scope: "openid");
        Assert.False(tokens.IsError, tokens.Error);
        return (browser, tokens);
    }

    private static async Task<HttpResponseMessage> AuthorizeAsync(OAuthClient browser, string? prompt = null, int? maxAge = null)
    {
        var disco = await browser.DiscoverAsync();
        var url = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(TestData.SpaClient, OidcConstants.ResponseTypes.Code, "openid",
            TestData.SpaRedirectUri, state: "s", prompt: prompt, maxAge: maxAge, codeChallenge: Challenge, codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256);
        return await browser.Http.GetAsync(url);
    }

    /// <summary>Posts the password on the re-authentication page the authorize answer sent to, follows back, exchanges the code.</summary>
    private static async Task<TokenResponse> ReauthenticateAsync(OAuthClient browser, HttpResponseMessage toPage, string password)
    {
        var posted = await browser.PostFormAsync(toPage.Headers.Location!.ToString(), new() { ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var back = await browser.Http.GetAsync(posted.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var location = back.Headers.Location!;
        Assert.StartsWith(TestData.SpaRedirectUri, location.ToString());
        return await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = (await browser.DiscoverAsync()).TokenEndpoint,
            ClientId = TestData.SpaClient,
            Code = QueryHelpers.ParseQuery(location.Query)["code"].ToString(),
            RedirectUri = TestData.SpaRedirectUri,
            CodeVerifier = Verifier,
        });
    }
}
