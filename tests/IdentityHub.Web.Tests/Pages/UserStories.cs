using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>Page objects for the self-service pages: what a person does, step by step, in a real browser.</summary>
public sealed class UserStories(BrowserApplication app, IPage page)
{
    public IPage Page => page;

    /// <summary>
    /// Starts the authorization code flow of <paramref name="clientId"/> in the browser, signs in on the page if asked,
    /// catches the redirect to the client, and exchanges the code with an OAuth client library. Returns the tokens.
    /// </summary>
    public async Task<TokenResponse> SignInThroughClientAsync(string clientId, string email, string password, Func<Task>? onConsent = null)
    {
        var verifier = Duende.IdentityModel.CryptoRandom.CreateUniqueId(32);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        // The client's redirect URI has no server: its URL is caught from the redirect that points there (and the
        // request itself answered by a route where Playwright intercepts it).
        var callback = new TaskCompletionSource<string>();
        void OnResponse(object? sender, IResponse response)
        {
            if (response.Status is 302 or 303 && response.Headers.TryGetValue("location", out var location) &&
                location.StartsWith(TestData.SpaRedirectUri, StringComparison.Ordinal))
            {
                callback.TrySetResult(location);
            }
        }
        page.Context.Response += OnResponse;
        await page.Context.RouteAsync(TestData.SpaRedirectUri + "**", route =>
            route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>client callback</p>" }));
        try
        {
            var authorize = new RequestUrl(app.Address + "connect/authorize").CreateAuthorizeUrl(clientId, "code", "openid profile email account",
                TestData.SpaRedirectUri, state: "state-1", codeChallenge: challenge, codeChallengeMethod: "S256", acrValues: $"tenant:{TestData.TenantA}");
            try
            {
                await page.GotoAsync(authorize);
            }
            catch (PlaywrightException) when (callback.Task.IsCompleted)
            {
                // Straight back to the client (already signed in and consented): nothing listens there.
            }
            if (!callback.Task.IsCompleted && page.Url.Contains("/Account/Login", StringComparison.Ordinal))
            {
                await SubmitSignInAsync(email, password);
            }
            if (onConsent is not null)
            {
                await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Consent"));
                await onConsent();
            }
            await callback.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            page.Context.Response -= OnResponse;
            await page.Context.UnrouteAsync(TestData.SpaRedirectUri + "**");
        }
        var url = await callback.Task;
        var code = QueryHelpers.ParseQuery(new Uri(url).Query)["code"].ToString();
        return await new HttpClient().RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = app.Address + "connect/token",
            ClientId = clientId,
            Code = code,
            RedirectUri = TestData.SpaRedirectUri,
            CodeVerifier = verifier,
        });
    }

    public async Task SubmitSignInAsync(string email, string password)
    {
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("main form button[type=submit]").ClickAsync();
    }

    public async Task SignInOnThePageAsync(string email, string password)
    {
        await page.GotoAsync($"/Account/Login?tenant={TestData.TenantA}");
        await SubmitSignInAsync(email, password);
    }

    public async Task ChangeLanguageAsync(string code)
    {
        await page.Locator("#culture-select").SelectOptionAsync(code);
        await page.Locator("form.lang button").ClickAsync();
    }

    public async Task FillChangePasswordAsync(string current, string next, string? confirm = null)
    {
        await page.Locator("#CurrentPassword").FillAsync(current);
        await page.Locator("#NewPassword").FillAsync(next);
        await page.Locator("#ConfirmPassword").FillAsync(confirm ?? next);
    }

    public Task SubmitChangePasswordAsync() => page.Locator("#change-password-form button[type=submit]").ClickAsync();

    public async Task SignOutAsync()
    {
        await page.GotoAsync("/Account/Logout");
        await page.Locator("#confirm-sign-out").ClickAsync();
        // The same URL before and after: wait for the signed-out state itself.
        await Assertions.Expect(page.Locator("#confirm-sign-out")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("main [role=status]")).ToBeVisibleAsync();
    }
}
