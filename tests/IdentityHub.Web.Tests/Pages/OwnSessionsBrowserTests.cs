using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>
/// The security page in real Chromium: two browsers of one person, one signs the other out; an application consented
/// to loses its access.
/// </summary>
public sealed class OwnSessionsBrowserTests(BrowserApplication app) : IClassFixture<BrowserApplication>
{
    [Fact]
    public async Task ManagePage_ListsBothBrowsers_SignOutThisDevice_SendsTheOtherBrowserToSignIn()
    {
        // Arrange: the same person signed in in two browsers (the first in French).
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var first = await app.NewContextAsync("fr-FR");
        var page = await first.NewPageAsync();
        await new UserStories(app, page).SignInOnThePageAsync(email, TestData.StrongPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await using var second = await app.NewContextAsync();
        var otherPage = await second.NewPageAsync();
        await new UserStories(app, otherPage).SignInOnThePageAsync(email, TestData.StrongPassword);
        await Assertions.Expect(otherPage).ToHaveURLAsync(new Regex("/$"));

        // Act: the first browser lists two sessions, marks its own, and signs out the other.
        await page.GotoAsync("/Account/Manage");
        await Assertions.Expect(page.Locator("#sessions tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".current-session")).ToHaveTextAsync("Cet appareil");
        await BrowserApplication.ScreenshotAsync(page, "fr-manage-sessions");
        var signOut = page.Locator("button.sign-out-session");
        await Assertions.Expect(signOut).ToHaveTextAsync("Déconnecter cet appareil");
        await signOut.ClickAsync();

        // Assert: one session left here; the other browser's next page load goes to sign-in.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Manage\\?signedOut=one$"));
        await Assertions.Expect(page.Locator("#sign-out-result")).ToHaveTextAsync("Cet appareil est déconnecté.");
        await Assertions.Expect(page.Locator("#sessions tbody tr")).ToHaveCountAsync(1);
        await otherPage.GotoAsync("/Account/Manage");
        await Assertions.Expect(otherPage).ToHaveURLAsync(new Regex("/Account/Login"));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#sessions tbody tr")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ManagePage_RevokeAccess_EndsTheApplicationsTokens_AndTheNextSignInAsksForConsentAgain()
    {
        // Arrange: the person allowed an application; its access token works at the account API.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var story = new UserStories(app, page);
        var tokens = await story.SignInThroughClientAsync(BrowserApplication.ConsentClient, email, TestData.StrongPassword,
            () => page.Locator("#consent-allow").ClickAsync());
        Assert.False(tokens.IsError, tokens.Error);
        var api = new OAuthClient(app).Http;
        var headers = new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() };
        Assert.Equal(HttpStatusCode.OK, (await ApiCall.SendAsync(api, HttpMethod.Get, "/v1/users/me/sessions", tokens.AccessToken, null, headers)).Status);

        // Act
        await page.GotoAsync("/Account/Manage");
        await Assertions.Expect(page.Locator($"#consents tr[data-client={BrowserApplication.ConsentClient}]")).ToHaveCountAsync(1);
        await page.Locator("button.revoke-consent").ClickAsync();

        // Assert
        await Assertions.Expect(page.Locator("#sign-out-result")).ToHaveTextAsync("That application's access is revoked.");
        await Assertions.Expect(page.Locator("#no-consents")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiCall.SendAsync(api, HttpMethod.Get, "/v1/users/me/sessions", tokens.AccessToken, null, headers)).Status);
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e =>
            e.UserId == userId && e.Type == AuditEventTypes.ConsentRevoked && e.ClientId == BrowserApplication.ConsentClient)));
        var askedAgain = false;
        var again = await story.SignInThroughClientAsync(BrowserApplication.ConsentClient, email, TestData.StrongPassword, async () =>
        {
            askedAgain = true;
            await page.Locator("#consent-allow").ClickAsync();
        });
        Assert.False(again.IsError, again.Error);
        Assert.True(askedAgain, "the application got back in without asking for consent");
    }
}
