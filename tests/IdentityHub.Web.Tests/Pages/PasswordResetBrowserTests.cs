using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.PasswordResets;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>Forgot password, the email's link and the reset page in real Chromium, with the email in a real SMTP server.</summary>
public sealed class PasswordResetBrowserTests(BrowserApplication app) : IClassFixture<BrowserApplication>
{
    public static TheoryData<string, string, string, string, string> Languages => new()
    {
        // culture, email subject, weak-rule text, success text, used-link text
        { "en", "Reset your password", "be at least 12 characters long", "Your password was reset.", "This link was already used" },
        { "fr", "Réinitialisez votre mot de passe", "contenir au moins 12 caractères", "Votre mot de passe a été réinitialisé.", "Ce lien a déjà servi" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task ForgotPassword_EmailLink_WeakThenGoodPassword_OldSessionEnded_SignInWithTheNewOne(
        string culture, string subject, string ruleText, string successText, string usedText)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browserLocale = culture == "fr" ? "fr-FR" : "en-US";
        // Another device, signed in before the reset.
        await using var other = await app.NewContextAsync(browserLocale);
        var otherPage = await other.NewPageAsync();
        await new UserStories(app, otherPage).SignInOnThePageAsync(email, TestData.StrongPassword);
        await Assertions.Expect(otherPage).ToHaveURLAsync(new Regex("/$"));

        await using var context = await app.NewContextAsync(browserLocale);
        var page = await context.NewPageAsync();
        var story = new UserStories(app, page);

        // From the sign-in page's link to the forgot-password page, which says the same for any email.
        await page.GotoAsync($"/Account/Login?tenant={TestData.TenantA}");
        await page.Locator("#forgot-password").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/Account/ForgotPassword\\?tenant={TestData.TenantA}"));
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-forgot-password");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#reset-sent")).ToContainTextAsync("30");
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-forgot-password-sent");

        // The email, in the browser's language, and its link.
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal(subject, message.Subject);
        var link = ResetApplication.Link(message);
        await page.GotoAsync(link);
        Assert.Contains(ruleText, await page.Locator("#password-rules").InnerTextAsync());
        Assert.Equal("new-password", await page.Locator("#NewPassword").GetAttributeAsync("autocomplete"));

        // A weak password is refused with its rules; a good one resets.
        await page.Locator("#NewPassword").FillAsync("short");
        await page.Locator("#ConfirmPassword").FillAsync("short");
        await page.Locator("#reset-password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#violations li[data-rule=min_length]")).ToBeVisibleAsync();
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-reset-password-weak");
        await page.Locator("#NewPassword").FillAsync(TestData.ThirdStrongPassword);
        await page.Locator("#ConfirmPassword").FillAsync(TestData.ThirdStrongPassword);
        await page.Locator("#reset-password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#password-reset")).ToContainTextAsync(successText);
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-reset-password-done");

        // The link works once, and says so in the page's language.
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("#link-problem")).ToContainTextAsync(usedText);
        Assert.Equal("used", await page.Locator("#link-problem").GetAttributeAsync("data-reason"));
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-reset-password-used");

        // The other device's session ended; the new password signs in.
        await otherPage.GotoAsync("/Account/Manage");
        await Assertions.Expect(otherPage).ToHaveURLAsync(new Regex("/Account/Login"));
        await story.SignInOnThePageAsync(email, TestData.ThirdStrongPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
    }
}
