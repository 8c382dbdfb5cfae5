using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>The self-service pages in real Chromium against the real host, with the email checked in a real SMTP server.</summary>
public sealed class SelfServiceBrowserTests(BrowserApplication app) : IClassFixture<BrowserApplication>
{
    private static readonly string WeakPassword = "short";

    public static TheoryData<string, string, string, string, string> Languages => new()
    {
        // culture, change-password title, weak-rule text, success text, email subject
        { "en", "Change password", "be at least 12 characters long", "Your password was changed.", "Your password was changed" },
        { "fr", "Changer de mot de passe", "contenir au moins 12 caractères", "Votre mot de passe a été modifié.", "Votre mot de passe a été modifié" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task FullStory_SignInThroughAClient_Reauthenticate_WeakThenGoodPassword_Email_SignOut_SignInAgain(
        string culture, string title, string ruleText, string successText, string subject)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync(culture == "fr" ? "fr-FR" : "en-US");
        var page = await context.NewPageAsync();
        var story = new UserStories(app, page);

        // Sign in through an OAuth client's authorization request; the client gets working tokens.
        var tokens = await story.SignInThroughClientAsync(TestData.SpaClient, email, TestData.StrongPassword);
        Assert.False(tokens.IsError, tokens.Error);
        await page.GotoAsync("/");
        if (culture == "fr")
        {
            // The switcher, remembered in a cookie, wins over the browser's language from now on.
            await story.ChangeLanguageAsync("fr");
        }

        // The sign-in is older than the step-up age: changing the password asks for the password again first.
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        try
        {
            await page.GotoAsync("/Account/ChangePassword");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Reauthenticate"));
            await BrowserApplication.ScreenshotAsync(page, $"{culture}-reauthenticate");
            await page.Locator("#Password").FillAsync(TestData.StrongPassword);
            await page.Locator("main form button[type=submit]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/ChangePassword$"));
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-6));
        }

        // The rules are shown before typing, in the page's language, with correct autocomplete attributes.
        Assert.Equal(title, await page.Locator("h1").InnerTextAsync());
        Assert.Contains(ruleText, await page.Locator("#rules-list").InnerTextAsync());
        Assert.Equal("current-password", await page.Locator("#CurrentPassword").GetAttributeAsync("autocomplete"));
        Assert.Equal("new-password", await page.Locator("#NewPassword").GetAttributeAsync("autocomplete"));
        Assert.Equal("new-password", await page.Locator("#ConfirmPassword").GetAttributeAsync("autocomplete"));
        Assert.True(await page.Locator("#SignOutOthers").IsCheckedAsync());
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-change-password");

        // A weak password: the live indicator reacts without a reload, the server lists every violated rule.
        await story.FillChangePasswordAsync(TestData.StrongPassword, WeakPassword);
        Assert.True(await page.Locator("#strength").IsVisibleAsync());
        Assert.True(int.Parse((await page.Locator("#strength-meter").GetAttributeAsync("value"))!) <= 1, "a weak password must score low");
        Assert.False(string.IsNullOrEmpty(await page.Locator("#strength-label").InnerTextAsync()));
        Assert.Equal(0, await page.Locator("#rules-list li[data-rule=min_length].met").CountAsync());
        await story.SubmitChangePasswordAsync();
        await Assertions.Expect(page.Locator("#password-errors")).ToBeVisibleAsync();
        Assert.Equal("alert", await page.Locator("#password-errors").GetAttributeAsync("role"));
        var violated = await page.Locator("#violations li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.rule)");
        Assert.Contains("min_length", violated);
        Assert.Contains("missing_uppercase", violated);
        Assert.Contains("missing_digit", violated);
        Assert.Equal("", await page.Locator("#NewPassword").InputValueAsync());
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-change-password-errors");

        // A good one: the live indicator ticks the rules; the change succeeds; the email arrives in the language.
        await story.FillChangePasswordAsync(TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.True(await page.Locator("#rules-list li[data-rule=min_length].met").CountAsync() == 1);
        Assert.True(int.Parse((await page.Locator("#strength-meter").GetAttributeAsync("value"))!) >= 3);
        await story.SubmitChangePasswordAsync();
        await Assertions.Expect(page.Locator("#password-changed")).ToContainTextAsync(successText);
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-change-password-done");
        var mail = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal(subject, mail.Subject);

        // The overview shows the account and its security events.
        await page.GotoAsync("/Account/Manage");
        Assert.Equal(email, await page.Locator("#account-email").InnerTextAsync());
        Assert.Equal("Acme", await page.Locator("#account-tenant").InnerTextAsync());
        Assert.Equal(1, await page.Locator("#security-events tr[data-event=password_changed]").CountAsync());
        Assert.True(await page.Locator("#security-events tr[data-event=sign_in]").CountAsync() >= 2);
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-manage");

        // Sign out, then only the new password signs in.
        await story.SignOutAsync();
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-signed-out");
        await story.SignInOnThePageAsync(email, TestData.StrongPassword);
        await Assertions.Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        Assert.Equal("alert", await page.Locator("#login-error").GetAttributeAsync("role"));
        await BrowserApplication.ScreenshotAsync(page, $"{culture}-sign-in-error");
        await story.SubmitSignInAsync(email, TestData.OtherStrongPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GotoAsync("/Account/Manage");
        Assert.Equal(email, await page.Locator("#account-email").InnerTextAsync());
    }

    [Fact]
    public async Task SignIn_WithTheKeyboardOnly()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/Account/Login?tenant={TestData.TenantA}");
        await BrowserApplication.ScreenshotAsync(page, "en-sign-in");

        // The email field has focus on arrival; Tab moves to the password; Enter submits.
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Password", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync(TestData.StrongPassword);
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GotoAsync("/Account/Manage");
        Assert.Equal(email, await page.Locator("#account-email").InnerTextAsync());
    }

    [Fact]
    public async Task Labels_AreTiedToTheirInputs()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/Account/Login?tenant={TestData.TenantA}");

        await page.GetByLabel("Email").FillAsync("someone@acme.test");
        await page.GetByLabel("Password").FillAsync("x");

        Assert.Equal("someone@acme.test", await page.Locator("#Email").InputValueAsync());
        Assert.Equal("username", await page.Locator("#Email").GetAttributeAsync("autocomplete"));
    }

    [Fact]
    public async Task Consent_ListsTheScopesInPlainWords_AndIsRememberedPerClient()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var story = new UserStories(app, page);

        var first = await story.SignInThroughClientAsync(BrowserApplication.ConsentClient, email, TestData.StrongPassword, async () =>
        {
            Assert.Contains("Acme Portal", await page.Locator("main").InnerTextAsync());
            Assert.Contains("See your email address", await page.Locator("#consent-scopes").InnerTextAsync());
            Assert.Contains("Manage your account, including your password", await page.Locator("#consent-scopes").InnerTextAsync());
            await BrowserApplication.ScreenshotAsync(page, "en-consent");
            await page.Locator("#consent-allow").ClickAsync();
        });
        Assert.False(first.IsError, first.Error);

        // The second time, no question.
        var second = await story.SignInThroughClientAsync(BrowserApplication.ConsentClient, email, TestData.StrongPassword);
        Assert.False(second.IsError, second.Error);
    }

    [Fact]
    public async Task Consent_Denied_SendsAccessDeniedToTheClient()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var callback = new TaskCompletionSource<string>();
        await page.RouteAsync(TestData.SpaRedirectUri + "**", async route =>
        {
            callback.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, Body = "ok" });
        });

        await page.GotoAsync($"/connect/authorize?client_id={BrowserApplication.ConsentClient}&response_type=code&scope=openid%20email" +
            $"&redirect_uri={Uri.EscapeDataString(TestData.SpaRedirectUri)}&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&acr_values=tenant:{TestData.TenantA}");
        await new UserStories(app, page).SubmitSignInAsync(email, TestData.StrongPassword);
        await page.Locator("#consent-deny").ClickAsync();

        Assert.Contains("error=access_denied", await callback.Task.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task LanguageSwitcher_TurnsThePageFrench_AndIsRemembered()
    {
        // An English browser, signed out: the switcher alone must change the language.
        await using var context = await app.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/Account/Login?tenant={TestData.TenantA}");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));

        var switched = await page.RunAndWaitForResponseAsync(() => new UserStories(app, page).ChangeLanguageAsync("fr"),
            response => response.Url.Contains("/Account/Language") && response.Request.Method == "POST");

        // The post is accepted (a redirect back), not refused for a missing antiforgery token.
        Assert.Equal(302, switched.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        Assert.Contains("/Account/Login", page.Url);
        // Remembered: a later page in the same browser is French although the browser still asks for English.
        await page.GotoAsync("/Account/ChangePassword");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        Assert.Contains(await context.CookiesAsync(), c => c.Name == ".IdentityHub.Culture" && Uri.UnescapeDataString(c.Value).Contains("c=fr"));
    }

    [Fact]
    public async Task PreferredLanguage_IsSaved_AndDrivesTheEmailLanguage()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await using var context = await app.NewContextAsync("es-ES");
        var page = await context.NewPageAsync();
        var story = new UserStories(app, page);
        await story.SignInOnThePageAsync(email, TestData.StrongPassword);

        await page.GotoAsync("/Account/Manage");
        Assert.Equal("Su cuenta", await page.Locator("h1").InnerTextAsync());
        await page.Locator("#PreferredLanguage").SelectOptionAsync("de");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#language-saved")).ToBeVisibleAsync();
        await BrowserApplication.ScreenshotAsync(page, "es-manage");

        Assert.Equal("de", await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Locale).SingleAsync()));
        // Through an API without any language preference, the stored preference now decides.
        var oauth = new OAuthClient(app);
        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, change.Status);
        Assert.Equal("Ihr Passwort wurde geändert", Assert.Single(await app.Sink.WaitForAsync(email)).Subject);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("de")]
    [InlineData("es")]
    public async Task EveryPage_RendersInTheLanguage_OnAPhoneAndADesktop(string culture)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        foreach (var phone in new[] { false, true })
        {
            await using var context = await app.NewContextAsync(culture, phone);
            var page = await context.NewPageAsync();
            var story = new UserStories(app, page);
            var device = phone ? "phone" : "desktop";

            await page.GotoAsync($"/Account/Login?tenant={TestData.TenantA}");
            Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
            await BrowserApplication.ScreenshotAsync(page, $"{culture}-{device}-sign-in");
            await story.SubmitSignInAsync(email, TestData.StrongPassword);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
            var consent = "/Account/Consent?ReturnUrl=" + Uri.EscapeDataString(
                $"/connect/authorize?client_id={BrowserApplication.ConsentClient}&response_type=code&scope=openid profile email account&redirect_uri={TestData.SpaRedirectUri}");
            foreach (var (path, name) in new[]
            {
                ("/Account/Manage", "manage"), ("/Account/ChangePassword", "change-password"), ("/Account/Reauthenticate", "reauthenticate"),
                (consent, "consent"), ("/Account/Logout", "sign-out"),
            })
            {
                await page.GotoAsync(path);
                Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
                var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > document.documentElement.clientWidth");
                Assert.False(overflow, $"{path} scrolls sideways on a {device}");
                await BrowserApplication.ScreenshotAsync(page, $"{culture}-{device}-{name}");
            }
        }
    }
}
