using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Throttling;

/// <summary>
/// A tiny hash gate (one hash at a time, no queue) and hashes slow enough to overlap; throttling and lockout lifted,
/// so that the gate is the only thing that refuses.
/// </summary>
public sealed class TinyHashGateApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Passwords"] = new { Hashing = new { Iterations = 50_000, MaxConcurrent = 1, QueueLimit = 0 } };
        settings["Lockout"] = new { MaxFailedAccessAttempts = 1000, MaxFailedAccessAttemptsPerIp = 1000 };
    }
}

/// <summary>
/// Security hardening, item 9: password hashing cannot starve the server. With the gate full, a password check is
/// refused at once with 503 and Retry-After in its endpoint's shape (OAuth JSON at the token endpoint, each
/// dialect's body, the pages' localized message); never a 500.
/// </summary>
public sealed class HashGateTests(TinyHashGateApplication app) : IClassFixture<TinyHashGateApplication>
{
    private const int Parallel = 16;

    /// <summary>
    /// One account per parallel request: the checks of one account take turns (FailedAttempts.TakeTurnAsync), so only
    /// different accounts hash at the same time and fill the gate, as a flood spread over many accounts does. Created
    /// one after the other: creating one hashes through the same one-wide gate (on PostgreSQL, whose writes do not
    /// queue like SQLite's, parallel creations met it full).
    /// </summary>
    private async Task<string[]> EmailsAsync()
    {
        var emails = new string[Parallel];
        for (var i = 0; i < Parallel; i++)
        {
            emails[i] = (await app.CreateUserAsync(TestData.TenantA)).Email;
        }
        return emails;
    }

    [Fact]
    public async Task PasswordGrant_ParallelWrongPasswords_BeyondTheGate_Answer503TemporarilyUnavailable_WithRetryAfter()
    {
        var emails = await EmailsAsync();
        var disco = await new OAuthClient(app).DiscoverAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => app.CreateBrowserlessClient().RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            UserName = emails[i], Password = $"Wrong-Guess-{i}!", Scope = "openid",
        })));

        Assert.All(responses, r => Assert.Contains((int)r.HttpStatusCode, new[] { 400, 503 }));
        Assert.All(responses.Where(r => r.HttpStatusCode == HttpStatusCode.BadRequest), r => Assert.Equal("invalid_grant", r.Error));
        var busy = responses.Where(r => r.HttpStatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, r =>
        {
            Assert.Equal("temporarily_unavailable", r.TryGet("error"));
            Assert.True(int.Parse(r.HttpResponse!.Headers.RetryAfter!.ToString()) >= 1);
            Assert.True(r.HttpResponse.Headers.CacheControl!.NoStore);
        });
        // Once the flood is over, the right password works (refused checks did not count toward lockout).
        Assert.False((await new OAuthClient(app).PasswordGrantAsync(emails[0], TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task V1AndEnvelope_ParallelWrongCurrentPasswords_BeyondTheGate_Answer503_InTheDialectsShape()
    {
        var emails = await EmailsAsync();
        var tokens = new string[Parallel];
        for (var i = 0; i < Parallel; i++)
        {
            tokens[i] = await new OAuthClient(app).AccessTokenAsync(emails[i]);
        }

        var v1 = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i =>
            ApiCall.V1ChangeAsync(app.CreateBrowserlessClient(), tokens[i], TestData.TenantA, $"Wrong-Guess-{i}!", TestData.OtherStrongPassword)));
        var envelope = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i =>
            ApiCall.EnvelopeChangeAsync(app.CreateBrowserlessClient(), tokens[i], $"Wrong-Guess-{i}!", TestData.OtherStrongPassword)));

        Assert.All(v1, r => Assert.Contains((int)r.Status, new[] { 400, 503 }));
        var v1Busy = v1.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(v1Busy);
        Assert.All(v1Busy, r =>
        {
            Assert.Equal("service_unavailable", r.Code);
            Assert.Equal(int.Parse(r.Header("Retry-After")!), r.Body.GetProperty("details").GetProperty("retry_after_seconds").GetInt32());
        });
        Assert.All(envelope, r => Assert.Contains((int)r.Status, new[] { 400, 503 }));
        var envelopeBusy = envelope.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(envelopeBusy);
        Assert.All(envelopeBusy, r =>
        {
            Assert.Equal(503, r.Body.GetProperty("code").GetInt32());
            Assert.Equal("service unavailable", r.Body.GetProperty("message").GetString());
            Assert.NotNull(r.Header("Retry-After"));
        });
    }

    [Fact]
    public async Task SignInPage_ParallelPosts_BeyondTheGate_Answer503_WithRetryAfter_AndTheLocalizedMessage()
    {
        var emails = await EmailsAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async i =>
        {
            var browser = new OAuthClient(app);
            browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
            var response = await browser.SignInAsync("/Account/Login", emails[i], $"Wrong-Guess-{i}!", TestData.TenantA);
            return (response.StatusCode, response.Headers.RetryAfter, Html: WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }));

        Assert.All(responses, r => Assert.Contains((int)r.StatusCode, new[] { 200, 503 }));
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, r =>
        {
            Assert.True(r.RetryAfter!.Delta!.Value.TotalSeconds >= 1);
            Assert.Contains("El servidor está ocupado en este momento. Inténtelo de nuevo en unos segundos.", r.Html);
        });
    }
}
