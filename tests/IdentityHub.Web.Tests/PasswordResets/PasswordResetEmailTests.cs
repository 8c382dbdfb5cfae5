using System.Globalization;
using System.Net;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.PasswordResets;

/// <summary>The reset email and the password-changed email's new reset link, in every shipped language.</summary>
public sealed class PasswordResetEmailTests(ResetApplication app) : IClassFixture<ResetApplication>
{
    [Theory]
    [InlineData("en", "Reset your password", "Choose a new password", "30 minutes", "Reset your password")]
    [InlineData("fr", "Réinitialisez votre mot de passe", "Choisir un nouveau mot de passe", "30 minutes", "Réinitialiser votre mot de passe")]
    [InlineData("de", "Passwort zurücksetzen", "Neues Passwort wählen", "30 Minuten", "Passwort zurücksetzen")]
    [InlineData("es", "Restablezca su contraseña", "Elegir una nueva contraseña", "30 minutos", "Restablecer su contraseña")]
    public async Task BothEmails_SayTheKeySentences_InTheirLanguage(string culture, string subject, string button, string validity, string changedResetLink)
    {
        var renderer = (IEmailRenderer)app.Services.GetService(typeof(IEmailRenderer))!;
        var language = CultureInfo.GetCultureInfo(culture);

        var reset = await renderer.RenderPasswordResetAsync(
            new PasswordResetEmailModel("Bob", "bob@acme.test", "Acme", "https://id.acme.test/Account/ResetPassword?token=abc", 30, "203.0.113.7", "Firefox/140.0"), language);
        var changed = await renderer.RenderPasswordChangedAsync(
            new PasswordChangedEmailModel("Bob", "bob@acme.test", "Acme", DateTimeOffset.UnixEpoch, "UTC", null, null, null, "https://id.acme.test/Account/Login")
            {
                ResetPasswordUrl = "https://id.acme.test/Account/ForgotPassword",
            }, language);

        Assert.Equal(subject, reset.Subject);
        foreach (var part in new[] { reset.TextBody, WebUtility.HtmlDecode(reset.HtmlBody) })
        {
            Assert.Contains(button, part);
            Assert.Contains(validity, part);
            Assert.Contains("bob@acme.test", part);
            Assert.Contains("203.0.113.7", part);
            Assert.Contains("https://id.acme.test/Account/ResetPassword?token=abc", part);
        }
        Assert.Contains($"lang=\"{culture}\"", reset.HtmlBody);
        Assert.Contains("href=\"https://id.acme.test/Account/ForgotPassword\"", changed.HtmlBody);
        Assert.Contains(changedResetLink, changed.TextBody);
        Assert.DoesNotContain("&#", reset.TextBody);
    }

    [Fact]
    public async Task TheResetEmail_FollowsTheRequestsLanguage_ThroughTheOutbox()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantB);

        var response = await app.RequestResetAsync(app.CreateBrowserlessClient(), TestData.TenantB, email,
            new Dictionary<string, string> { ["Accept-Language"] = "es-MX, en;q=0.5" });

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var message = Assert.Single(await app.ResetEmailsAsync(email));
        Assert.Equal("Restablezca su contraseña", message.Subject);
        Assert.Contains("127.0.0.1", message.TextBody);
    }
}
