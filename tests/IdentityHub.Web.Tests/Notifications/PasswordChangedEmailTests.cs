using System.Net;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace IdentityHub.Web.Tests.Notifications;

/// <summary>The password-changed email through a real SMTP server, for every dialect, with outages and restarts.</summary>
public sealed class PasswordChangedEmailTests(MailApplication app) : IClassFixture<MailApplication>
{
    private readonly OAuthClient oauth = new(app);

    private static (TextPart Text, TextPart Html) Parts(MimeMessage message)
    {
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        var text = Assert.Single(alternative.OfType<TextPart>(), p => p.IsPlain);
        var html = Assert.Single(alternative.OfType<TextPart>(), p => p.IsHtml);
        return (text, html);
    }

    [Theory]
    [InlineData("en", "Your password was changed", "The password of your account bob@acme.test was changed.", "Wasn't you?", "Sign in to secure your account")]
    [InlineData("fr", "Votre mot de passe a été modifié", "Le mot de passe de votre compte bob@acme.test a été modifié.", "Ce n'était pas vous ?", "Se connecter pour sécuriser votre compte")]
    public async Task RenderedEmail_SaysTheKeySentences_InItsLanguage(string culture, string subject, string intro, string notYou, string link)
    {
        var renderer = (IEmailRenderer)app.Services.GetService(typeof(IEmailRenderer))!;
        var model = new PasswordChangedEmailModel("Bob", "bob@acme.test", "Acme", new DateTimeOffset(2026, 11, 23, 10, 30, 0, TimeSpan.Zero),
            "UTC", "Acme Portal", "203.0.113.7", "Firefox/140.0", "https://id.acme.test/Account/Login");

        var email = await renderer.RenderPasswordChangedAsync(model, System.Globalization.CultureInfo.GetCultureInfo(culture));

        Assert.Equal(subject, email.Subject);
        foreach (var part in new[] { email.TextBody, System.Net.WebUtility.HtmlDecode(email.HtmlBody) })
        {
            Assert.Contains(intro, part);
            Assert.Contains(notYou, part);
            Assert.Contains(link, part);
            Assert.Contains("Acme Portal", part);
            Assert.Contains("203.0.113.7", part);
            Assert.Contains("Firefox/140.0", part);
            Assert.Contains("2026", part);
            Assert.Contains("UTC", part);
        }
        Assert.Contains("href=\"https://id.acme.test/Account/Login\"", email.HtmlBody);
        Assert.DoesNotContain("&#", email.TextBody);
    }

    [Fact]
    public async Task V1Change_DeliversOneEmail_InTheExplicitLocale_WithBothParts()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password?locale=de", token,
            $"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{TestData.OtherStrongPassword}\"}}",
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString(), ["Accept-Language"] = "fr" });

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal("Ihr Passwort wurde geändert", message.Subject);
        var (text, html) = Parts(message);
        Assert.Contains("Das Passwort Ihres Kontos " + email + " wurde geändert.", text.Text);
        Assert.Contains("127.0.0.1", text.Text);
        Assert.Contains(TestData.CliClient, text.Text);
        Assert.Contains("lang=\"de\"", html.Text);
        Assert.Contains("/Account/Login?tenant=", html.Text);
        Assert.DoesNotContain(TestData.OtherStrongPassword, text.Text + html.Text);
    }

    [Fact]
    public async Task StepUpChange_DeliversOneEmail_InTheLocaleQueryParameter()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword, locale: "fr-CA");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal("Votre mot de passe a été modifié", message.Subject);
        var (text, _) = Parts(message);
        Assert.Contains("Ce n'était pas vous ?", text.Text);
    }

    [Fact]
    public async Task EnvelopeChange_DeliversOneEmail_InTheAcceptLanguage()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/api/me/change-password", token,
            $"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{TestData.OtherStrongPassword}\"}}",
            new Dictionary<string, string> { ["Accept-Language"] = "pt-BR, es;q=0.8, en;q=0.5" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var message = Assert.Single(await app.Sink.WaitForAsync(email));
        Assert.Equal("Se ha cambiado su contraseña", message.Subject);
        Assert.Equal(email, message.To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task WithoutAnyPreference_TheTenantsDefaultLanguageIsUsed()
    {
        // Tenant B's default locale is French.
        var (_, email) = await app.CreateUserAsync(TestData.TenantB);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, TestData.TenantBClient, TestData.TenantBSecret);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, TestData.TenantB, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        Assert.Equal("Votre mot de passe a été modifié", Assert.Single(await app.Sink.WaitForAsync(email)).Subject);
    }

    [Fact]
    public async Task FailedChange_SendsNoEmail_AndWritesNoOutboxRow()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, "Wrong-Password-1!", TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Empty(await app.Sink.WaitForAsync(email, seconds: 2));
        Assert.Equal(0, await app.QueryAsync(db => db.Outbox.CountAsync(m => m.ToAddress == email)));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("step-up")]
    [InlineData("envelope")]
    public async Task InvalidLocale_Returns400_InEachDialectsShape_AndChangesNothing(string dialect)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var body = $"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{TestData.OtherStrongPassword}\",\"password\":\"{TestData.OtherStrongPassword}\"}}";

        var response = dialect switch
        {
            "v1" => await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password?locale=zz-nope", token, body,
                new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() }),
            "step-up" => await ApiCall.SendAsync(oauth.Http, HttpMethod.Put, "/api/users/me/password?locale=zz-nope", token, body,
                new Dictionary<string, string> { ["X-Step-Up-Token"] = (await oauth.StepUpAsync(token, TestData.StrongPassword)).AccessToken! }),
            _ => await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/api/me/change-password?locale=zz-nope", token, body),
        };

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        switch (dialect)
        {
            case "v1":
                Assert.Equal("invalid_request", response.Code);
                Assert.Equal("locale", response.Body.GetProperty("details").GetProperty("field").GetString());
                break;
            case "step-up":
                Assert.Equal("VALIDATION_ERROR", response.Code);
                Assert.Equal("locale", response.Body.GetProperty("field").GetString());
                break;
            default:
                Assert.Equal("invalid_locale", response.Body.GetProperty("data").GetProperty("errors")[0].GetProperty("message").GetString());
                break;
        }
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task SmtpServerDown_TheChangeSucceeds_AndTheEmailArrivesOnceItIsBack()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        app.Sink.Stop();
        try
        {
            var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
            Assert.Equal(HttpStatusCode.NoContent, response.Status);

            // Wait for at least one failed attempt, recorded with its error and a retry time.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            OutboxMessage? pending = null;
            while (DateTime.UtcNow < deadline && pending is not { Attempts: > 0 })
            {
                pending = await app.QueryAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.ToAddress == email));
                await Task.Delay(100);
            }
            Assert.Equal(OutboxStatus.Pending, pending!.Status);
            Assert.True(pending.Attempts > 0);
            Assert.NotNull(pending.LastError);
        }
        finally
        {
            app.Sink.Start();
        }

        Assert.Single(await app.Sink.WaitForAsync(email));
        var sent = await app.QueryAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.ToAddress == email));
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.NotNull(sent.SentAt);
    }
}

/// <summary>Pending mail survives a restart of the host.</summary>
public sealed class OutboxRestartTests
{
    [Fact]
    public async Task PendingEmail_IsDelivered_ByTheNextProcess()
    {
        using var sink = new SmtpSink(start: false);
        string email;
        string directory;
        using (var first = new MailApplication(sink, null))
        {
            var oauth = new OAuthClient(first);
            (_, email) = await first.CreateUserAsync(TestData.TenantA);
            var token = await oauth.AccessTokenAsync(email);
            var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
            Assert.Equal(HttpStatusCode.NoContent, response.Status);
            // Copy the database before the first host is disposed (which deletes its folder), once a failed attempt
            // has given the message's lease back: a copy taken mid-attempt is a crashed instance's database, whose
            // lease the next process rightly waits out (ClusterTests covers that case). Before its first attempt the
            // message has no lease either, and the sender may claim it right after: wait for an attempt to be over,
            // with the next one not due for a while (the retries back off up to 1 s).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                var soon = DateTime.UtcNow.AddMilliseconds(300);
                if (await first.QueryAsync(db => db.Outbox.AnyAsync(m => m.ToAddress == email && m.Attempts > 0 && m.LeaseOwner == null && m.NextAttemptAt > soon)))
                {
                    break;
                }
                await Task.Delay(50);
            }
            directory = CopyState(first);
        }

        sink.Start();
        using var second = new MailApplication(sink, directory);
        _ = second.Address;

        var messages = await sink.WaitForAsync(email);
        var rows = await second.QueryAsync(db => db.Outbox.AsNoTracking().Select(m => $"{m.Status} {m.Attempts} {m.NextAttemptAt:o} {m.LeaseOwner} {m.LeaseExpiresAt:o} {m.LastError}").ToListAsync());
        Assert.True(messages.Count == 1, DateTime.UtcNow.ToString("o") + " " + string.Join("; ", rows));
        Assert.Equal("Your password was changed", messages[0].Subject);
    }

    private static string CopyState(HubApplication app)
    {
        var target = Path.Combine(Path.GetTempPath(), "identityhub-tests", "restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        if (TestDatabase.IsPostgreSql)
        {
            // The server keeps the database after the host stops: the next host names the same one.
            PostgresServer.Shared.Alias(Path.Combine(target, "identityhub.db"), app.DatabasePath);
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            // A consistent copy of a live WAL database: SQLite's own VACUUM INTO.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"VACUUM INTO '{Path.Combine(target, "identityhub.db")}'";
            command.ExecuteNonQuery();
        }
        File.Copy(Path.Combine(app.Directory, "keys.json"), Path.Combine(target, "keys.json"));
        return target;
    }
}
