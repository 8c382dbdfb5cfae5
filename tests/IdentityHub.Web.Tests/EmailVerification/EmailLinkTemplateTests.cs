using System.Globalization;
using System.Net;
using IdentityHub.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.EmailVerification;

/// <summary>The verification and invitation emails in every shipped language.</summary>
public sealed class EmailLinkTemplateTests(VerificationApplication app) : IClassFixture<VerificationApplication>
{
    [Theory]
    [InlineData("en", "Confirm your email address", "24 hours", "You are invited: choose your password", "7 days")]
    [InlineData("fr", "Confirmez votre adresse e-mail", "24 heures", "Vous êtes invité : choisissez votre mot de passe", "7 jours")]
    [InlineData("de", "Bestätigen Sie Ihre E-Mail-Adresse", "24 Stunden", "Sie sind eingeladen: Wählen Sie Ihr Passwort", "7 Tage")]
    [InlineData("es", "Confirme su dirección de correo", "24 horas", "Está invitado: elija su contraseña", "7 días")]
    public async Task BothEmails_SayTheKeySentences_InTheirLanguage(string culture, string verifySubject, string verifyValidity, string inviteSubject, string inviteValidity)
    {
        var renderer = app.Services.GetRequiredService<IEmailRenderer>();
        var language = CultureInfo.GetCultureInfo(culture);

        var verify = await renderer.RenderEmailVerificationAsync(
            new EmailVerificationEmailModel("Bob", "bob@acme.test", "Acme", "https://id.acme.test/Account/ConfirmEmail?token=abc", 24), language);
        var invite = await renderer.RenderInvitationAsync(
            new InvitationEmailModel("Bob", "bob@acme.test", "Acme", "https://id.acme.test/Account/ResetPassword?token=def", 7), language);

        Assert.Equal(verifySubject, verify.Subject);
        Assert.Equal(inviteSubject, invite.Subject);
        foreach (var (email, link, validity) in new[] { (verify, "ConfirmEmail?token=abc", verifyValidity), (invite, "ResetPassword?token=def", inviteValidity) })
        {
            foreach (var part in new[] { email.TextBody, WebUtility.HtmlDecode(email.HtmlBody) })
            {
                Assert.Contains("bob@acme.test", part);
                Assert.Contains(link, part);
                Assert.Contains(validity, part);
            }
            Assert.Contains($"lang=\"{culture}\"", email.HtmlBody);
            Assert.DoesNotContain("&#", email.TextBody);
        }
        Assert.Contains("Acme", invite.TextBody);
    }
}
