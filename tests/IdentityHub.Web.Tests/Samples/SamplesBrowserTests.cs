using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Samples;

/// <summary>
/// The stock clients in samples/, unchanged, in Chromium: the ASP.NET Core web app (form_post), the JWT bearer API
/// and the oidc-client-ts SPA on another origin (CORS); the web app's sign-out by back-channel logout (IdentityHub.Client).
/// </summary>
public sealed class SamplesBrowserTests(SamplesApplication app) : IClassFixture<SamplesApplication>
{
    [Fact]
    public async Task WebAppSignsIn_CallsTheApi_SpaChangesThePassword_WebAppSignedOut_SignsInAgainAndOut()
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

        // The change ended every session of the user, the browser's too: IdentityHub's logout token reaches the web
        // app (IdentityHub.Client at its back-channel logout URI), which refuses its cookie from then on.
        await page.GotoAsync(app.WebApp.ToString());
        await ReloadUntilSignedOutAsync(page);

        // Signed in again, with the new password (the browser's IdentityHub session ended too).
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        await story.SubmitSignInAsync("alice@acme.test", TestData.ThirdStrongPassword);
        await Assertions.Expect(page.Locator("#name")).ToHaveTextAsync("Alice");

        // Sign-out goes through IdentityHub's end-session and back to the app, signed out.
        await page.Locator("#sign-out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/Logout", StringComparison.Ordinal) || url.StartsWith(app.WebApp.ToString(), StringComparison.Ordinal));
        if (page.Url.Contains("/Account/Logout", StringComparison.Ordinal) && await page.Locator("#confirm-sign-out").CountAsync() > 0)
        {
            await page.Locator("#confirm-sign-out").ClickAsync();
        }
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.StartsWith(app.WebApp.ToString(), page.Url);
    }

    [Fact]
    public async Task WebAppSignedIn_PasswordChangedElsewhere_ReloadShowsItSignedOutWithinSeconds()
    {
        // Arrange: a user of its own (the other test changes Alice's password) signed in to the web app in Chromium.
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.WebApp.ToString());
        await page.Locator("#sign-in").ClickAsync();
        await new Pages.UserStories(app, page).SubmitSignInAsync(email, TestData.StrongPassword);
        await Assertions.Expect(page.Locator("#tenant")).ToHaveTextAsync(TestData.TenantA.ToString());

        // Act: the password is changed elsewhere, with a token of another session of the user (v1 API).
        var elsewhere = new OAuthClient(app);
        var change = await ApiCall.V1ChangeAsync(elsewhere.Http, await elsewhere.AccessTokenAsync(email), TestData.TenantA,
            TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);

        // Assert: the browser's session at IdentityHub ended, its logout token reached the web app, whose cookie is
        // refused from then on: a reload shows the app signed out.
        await ReloadUntilSignedOutAsync(page);
        Assert.StartsWith(app.WebApp.ToString(), page.Url);
    }

    /// <summary>Reloads the web app until it shows itself signed out; fails after 10 seconds.</summary>
    private static async Task ReloadUntilSignedOutAsync(IPage page)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (await page.Locator("#sign-in").CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < until, "The web app still shows the user signed in 10 seconds after the change.");
            await Task.Delay(100);
            await page.ReloadAsync();
        }
    }
}
