using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>
/// <c>response_mode=form_post</c> (the default of ASP.NET Core's OpenID Connect handler) under the
/// Content-Security-Policy: OpenIddict's self-submitting page runs its one inline script, and no other.
/// </summary>
public sealed class FormPostTests(BrowserApplication app) : IClassFixture<BrowserApplication>
{
    [Fact]
    public async Task FormPostPage_AllowsExactlyItsOwnScriptByHash_AndOtherPagesNoInlineScript()
    {
        // prompt=none without a session: login_required goes back to the client in form_post, no sign-in needed.
        var path = "/connect/authorize?" + string.Join('&', "client_id=test-spa", "response_type=code", "response_mode=form_post",
            "redirect_uri=" + Uri.EscapeDataString(TestData.SpaRedirectUri), "scope=openid", "state=s-1", "prompt=none",
            "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method=S256");

        var page = await RawHttp.SendAsync(app.Address, "GET", path, []);

        Assert.True(page.Status == 200, page.Text);
        Assert.StartsWith("text/html", page.ContentType);
        Assert.Contains($"action=\"{TestData.SpaRedirectUri}\"", page.Text);
        Assert.Contains("value=\"login_required\"", page.Text);
        var scripts = Regex.Matches(page.Text, "<script>(.*?)</script>", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        var script = Assert.Single(scripts);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        Assert.Contains($"script-src 'self' 'sha256-{hash}';", page.Headers["content-security-policy"]);
        Assert.DoesNotContain("unsafe", page.Headers["content-security-policy"]);

        var signIn = await RawHttp.SendAsync(app.Address, "GET", "/Account/Login", []);
        Assert.Contains("script-src 'self';", signIn.Headers["content-security-policy"]);
    }

    [Fact]
    public async Task FormPostSignIn_InChromium_PostsTheCodeToTheClient_WhichRedeemsIt()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refused.Add(message.Text);
            }
        };
        var posted = new TaskCompletionSource<(string Method, string Body)>();
        await context.RouteAsync(TestData.SpaRedirectUri + "**", async route =>
        {
            posted.TrySetResult((route.Request.Method, route.Request.PostData ?? ""));
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>client callback</p>" });
        });
        var verifier = Duende.IdentityModel.CryptoRandom.CreateUniqueId(32);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = new RequestUrl(app.Address + "connect/authorize").CreateAuthorizeUrl(TestData.SpaClient, "code", "openid profile",
            TestData.SpaRedirectUri, state: "state-fp", responseMode: "form_post", codeChallenge: challenge, codeChallengeMethod: "S256",
            acrValues: $"tenant:{TestData.TenantA}");

        await page.GotoAsync(authorize);
        // The sign-in page itself still refuses an inline script someone manages to inject.
        await Assert.ThrowsAsync<PlaywrightException>(() => page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = "window.injected = true;" }));
        Assert.True(await page.EvaluateAsync<bool>("() => window.injected === undefined"));
        refused.Clear();
        await new UserStories(app, page).SubmitSignInAsync(email, TestData.StrongPassword);
        var (method, body) = await posted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("POST", method);
        Assert.Empty(refused);
        var fields = QueryHelpers.ParseQuery(body);
        Assert.Equal("state-fp", fields["state"].ToString());
        var tokens = await new HttpClient().RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = app.Address + "connect/token",
            ClientId = TestData.SpaClient,
            Code = fields["code"].ToString(),
            RedirectUri = TestData.SpaRedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error);
    }
}
