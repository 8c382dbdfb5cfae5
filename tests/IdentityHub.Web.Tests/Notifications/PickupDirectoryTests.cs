using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using MimeKit;

namespace IdentityHub.Web.Tests.Notifications;

/// <summary>The embedded default (no SMTP host): every email becomes an .eml file any mail reader opens.</summary>
public sealed class PickupDirectoryTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task WithoutSmtp_TheEmailIsWrittenAsASevenBitEmlFile()
    {
        var oauth = new OAuthClient(app);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password?locale=es", await oauth.AccessTokenAsync(email),
            $"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{TestData.OtherStrongPassword}\"}}",
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });
        Assert.Equal(HttpStatusCode.NoContent, response.Status);

        var folder = Path.Combine(app.Directory, "mail");
        var message = await WaitForEmlAsync(folder, email);

        Assert.NotNull(message);
        Assert.Equal("Se ha cambiado su contraseña", message.Subject);
        var raw = await File.ReadAllBytesAsync(Directory.GetFiles(folder, "*.eml").Single(f => MimeMessage.Load(f).To.Mailboxes.Any(a => a.Address == email)));
        Assert.All(raw, b => Assert.True(b < 0x80, "an .eml file must be 7-bit clean"));
        Assert.Contains(Assert.IsType<MultipartAlternative>(message.Body).OfType<TextPart>(), p => p.IsPlain && p.Text.Contains("Se ha cambiado la contraseña de su cuenta"));
    }

    /// <summary>The .eml written to <paramref name="folder"/> for <paramref name="email"/>, waiting up to 10 s for the outbox.</summary>
    public static async Task<MimeMessage?> WaitForEmlAsync(string folder, string email)
    {
        for (var i = 0; i < 100; i++)
        {
            var message = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.eml").Select(f => MimeMessage.Load(f)).FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == email))
                : null;
            if (message is not null)
            {
                return message;
            }
            await Task.Delay(100);
        }
        return null;
    }
}
