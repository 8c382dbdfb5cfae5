using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>The security page's session list in real Chromium: two browsers of one person, one signs the other out.</summary>
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
}
