using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Samples;

/// <summary>
/// The stock clients in samples/, unchanged, in Chromium: the ASP.NET Core web app (form_post), the JWT bearer API
/// and the oidc-client-ts SPA on another origin (CORS).
/// </summary>
public sealed class SamplesBrowserTests(SamplesApplication app) : IClassFixture<SamplesApplication>
{
    [Fact]
    public async Task WebAppSignsIn_CallsTheApi_SpaChangesThePassword_WebAppRefreshRefused_WebAppSignsOut()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var story = new Pages.UserStories(app, page);

        // The web app: sign in through IdentityHub (form_post back to the app), name and tenant shown.
        await page.GotoAsync(app.WebApp.ToString());
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        await story.SubmitSignInAsync("alice@acme.test", TestData.StrongPassword);
        await Assertions.Expect(page.Locator("#name")).ToHaveTextAsync("Alice");
        await Assertions.Expect(page.Locator("#tenant")).ToHaveTextAsync(TestData.TenantA.ToString());

        // Its access token (audience and scope of the API) is accepted by the API.
        await page.Locator("#call-api").ClickAsync();
        await Assertions.Expect(page.Locator("#api-status")).ToHaveTextAsync("200");
        await Assertions.Expect(page.Locator("#api-body")).ToContainTextAsync("order-1001");
        await page.GotoAsync(app.WebApp + "refresh");
        await Assertions.Expect(page.Locator("#refresh-result")).ToHaveTextAsync("refreshed");

        // The SPA, on its own origin: signed in at once (the IdentityHub session), userinfo and the password change
        // from the browser, across origins.
        await page.GotoAsync(app.Spa.ToString());
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"tenant {TestData.TenantA}");
        Assert.StartsWith(app.Spa.ToString(), page.Url);
        await page.Locator("#userinfo").ClickAsync();
        await Assertions.Expect(page.Locator("#userinfo-result")).ToContainTextAsync("\"sub\"");
        await page.Locator("#current-password").FillAsync(TestData.StrongPassword);
        await page.Locator("#new-password").FillAsync(TestData.ThirdStrongPassword);
        await page.Locator("#change-password button").ClickAsync();
        await Assertions.Expect(page.Locator("#password-result")).ToHaveTextAsync("Password changed.");

        // The change revoked the web app's tokens: its refresh token is refused.
        await page.GotoAsync(app.WebApp + "refresh");
        await Assertions.Expect(page.Locator("#refresh-result")).ToHaveTextAsync("invalid_grant");

        // Sign-out goes through IdentityHub's end-session and back to the app, signed out.
        await page.GotoAsync(app.WebApp.ToString());
        await page.Locator("#sign-out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/Logout", StringComparison.Ordinal) || url.StartsWith(app.WebApp.ToString(), StringComparison.Ordinal));
        if (page.Url.Contains("/Account/Logout", StringComparison.Ordinal) && await page.Locator("#confirm-sign-out").CountAsync() > 0)
        {
            await page.Locator("#confirm-sign-out").ClickAsync();
        }
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.StartsWith(app.WebApp.ToString(), page.Url);
    }
}
