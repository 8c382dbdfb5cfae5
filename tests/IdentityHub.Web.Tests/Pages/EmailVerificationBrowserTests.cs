using System.Text.RegularExpressions;
using IdentityHub.Audit;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.EmailVerification;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>"Verify your email" on the account page and the email's link, and an invitation's link, in real Chromium with real SMTP.</summary>
public sealed class EmailVerificationBrowserTests(BrowserApplication app) : IClassFixture<BrowserApplication>
{
    public static TheoryData<string, string, string, string> Verification => new()
    {
        // culture, email subject, confirmed text, used-link text
        { "en", "Confirm your email address", "Your email address is confirmed.", "already confirmed" },
        { "fr", "Confirmez votre adresse e-mail", "Votre adresse e-mail est confirmée.", "déjà confirmée" },
    };

    public static TheoryData<string, string, string> Invitation => new()
    {
        // culture, email subject, success text
        { "en", "You are invited: choose your password", "Your password is set" },
        { "fr", "Vous êtes invité : choisissez votre mot de passe", "Votre mot de passe est défini" },
    };

    [Theory]
    [MemberData(nameof(Verification))]
    public async Task Manage_SendsTheVerificationEmail_ItsLinkConfirms_OnceOnly(string culture, string subject, string confirmedText, string usedText)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA, emailVerified: false);
        await using var context = await app.NewContextAsync(culture == "fr" ? "fr-FR" : "en-US");
        var page = await context.NewPageAsync();
        await new UserStories(app, page).SignInOnThePageAsync(email, TestData.StrongPassword);

        // The account page offers the email while the address is unverified.
        await page.GotoAsync("/Account/Manage");
        await Assertions.Expect(page.Locator("#email-verified")).ToHaveCountAsync(0);
        await page.Locator("#send-verification").ClickAsync();
        await Assertions.Expect(page.Locator("#verification-result")).ToBeVisibleAsync();
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-manage-verification-sent");
        // A second click within the interval sends nothing and says when to try again.
        await page.Locator("#send-verification").ClickAsync();
        await Assertions.Expect(page.Locator("#verification-result.alert")).ToBeVisibleAsync();

        // The email, in the browser's language; its link asks for a click, then confirms.
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal(subject, message.Subject);
        var link = VerificationApplication.VerificationLink(message);
        await page.GotoAsync(link);
        await page.Locator("#confirm-email-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#email-confirmed")).ToContainTextAsync(confirmedText);
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-email-confirmed");

        // Once only; and the account page now says verified, without the button.
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("#link-problem")).ToContainTextAsync(usedText);
        await page.GotoAsync("/Account/Manage");
        await Assertions.Expect(page.Locator("#email-verified")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#send-verification")).ToHaveCountAsync(0);
    }

    [Theory]
    [MemberData(nameof(Invitation))]
    public async Task AnInvitationLink_SetsTheFirstPassword_ThenTheInviteeSignsIn(string culture, string subject, string successText)
    {
        // An administrator's "invite a user": an account without a password, and the invitation.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA, password: null, emailVerified: false);
        var invited = await app.WithServicesAsync(async services =>
        {
            var user = await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<IdentityHub.Accounts.HubUser>>().FindByIdAsync(userId.ToString());
            return await services.GetRequiredService<IdentityHub.Invitations.InvitationService>()
                .InviteAsync(user!, new EmailLinkContext(RequestOrigin.None) { Locale = culture, Issuer = app.Address });
        });
        Assert.True(invited.Succeeded);
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal(subject, message.Subject);

        await using var context = await app.NewContextAsync(culture == "fr" ? "fr-FR" : "en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync(VerificationApplication.InvitationLink(message));
        await page.Locator("#NewPassword").FillAsync(TestData.ThirdStrongPassword);
        await page.Locator("#ConfirmPassword").FillAsync(TestData.ThirdStrongPassword);
        await page.Locator("#reset-password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#password-reset")).ToContainTextAsync(successText);
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-invitation-password-set");

        await new UserStories(app, page).SignInOnThePageAsync(email, TestData.ThirdStrongPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GotoAsync("/Account/Manage");
        await Assertions.Expect(page.Locator("#email-verified")).ToBeVisibleAsync();
    }
}
