using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Throttling;

/// <summary>Low throttling limits and a small account API budget; lockout lifted so that only throttling answers.</summary>
public sealed class ThrottlingApplication : HubApplication
{
    public const int PerIp = 8;
    public const int PerAccount = 4;
    public const int ApiPermits = 5;

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Throttling"] = new { FailuresPerIpPerMinute = PerIp, FailuresPerAccountPerMinute = PerAccount };
        settings["Lockout"] = new { MaxFailedAccessAttempts = 1000, MaxFailedAccessAttemptsPerIp = 1000 };
        settings["RateLimiting"] = new { PermitLimit = ApiPermits, Window = "00:01:00" };
    }
}

/// <summary>
/// Security hardening, item 8: failed password checks are throttled per client IP and per account at the sign-in and
/// re-authentication pages and at the token endpoint (password, step-up and token-exchange grants), with 429 and
/// Retry-After in each endpoint's shape; the account API limiter partitions on the validated session, so respelling
/// a token's header does not buy a fresh budget. Each test uses client IPs of its own (127.0.x.y).
/// </summary>
public sealed class ThrottlingTests(ThrottlingApplication app) : IClassFixture<ThrottlingApplication>
{
    private static void AssertOAuthTryLater(TokenResponse response)
    {
        Assert.Equal((HttpStatusCode)429, response.HttpStatusCode);
        Assert.Equal("temporarily_unavailable", response.TryGet("error"));
        Assert.InRange(int.Parse(response.HttpResponse!.Headers.RetryAfter!.ToString()), 1, 60);
        Assert.True(response.HttpResponse.Headers.CacheControl!.NoStore);
    }

    private static async Task<TokenResponse> WrongPasswordGrantAsync(HubApplication app, IPAddress from, string email, int i)
    {
        var client = new OAuthClient(app, from: from);
        return await client.PasswordGrantAsync(email, $"Wrong-Guess-{i}!");
    }

    [Fact]
    public async Task PasswordGrant_ParallelWrongPasswords_AreThrottledPerAccount_WithOAuth429AndRetryAfter_FromAnyIp()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var attacker = Loopback.NextAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => WrongPasswordGrantAsync(app, attacker, email, i)));

        Assert.All(responses, r => Assert.True((int)r.HttpStatusCode < 500, $"{(int)r.HttpStatusCode} {r.Raw}"));
        var evaluated = responses.Where(r => r.HttpStatusCode == HttpStatusCode.BadRequest).ToList();
        Assert.All(evaluated, r => Assert.Equal("invalid_grant", r.Error));
        Assert.Equal(ThrottlingApplication.PerAccount, evaluated.Count);
        var throttled = responses.Where(r => (int)r.HttpStatusCode == 429).ToList();
        Assert.Equal(12 - ThrottlingApplication.PerAccount, throttled.Count);
        Assert.All(throttled, AssertOAuthTryLater);

        // Per account, not per IP: the owner on another IP waits for the minute to end too, then signs in.
        var owner = new OAuthClient(app, from: Loopback.NextAddress());
        AssertOAuthTryLater(await owner.PasswordGrantAsync(email, TestData.StrongPassword));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        try
        {
            Assert.False((await owner.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromSeconds(-61));
        }
    }

    [Fact]
    public async Task PasswordGrant_ParallelWrongPasswordsForManyAccounts_AreThrottledPerIp()
    {
        var sprayer = Loopback.NextAddress();

        // Distinct unknown emails: the per-account limit never applies, the per-IP one does.
        var responses = await Task.WhenAll(Enumerable.Range(0, 14).Select(i =>
            WrongPasswordGrantAsync(app, sprayer, $"nobody-{Guid.NewGuid():N}@acme.test", i)));

        Assert.Equal(ThrottlingApplication.PerIp, responses.Count(r => r.HttpStatusCode == HttpStatusCode.BadRequest && r.Error == "invalid_grant"));
        var throttled = responses.Where(r => (int)r.HttpStatusCode == 429).ToList();
        Assert.Equal(14 - ThrottlingApplication.PerIp, throttled.Count);
        Assert.All(throttled, AssertOAuthTryLater);

        // Once the address is out of failures it is refused before anything else, even before the client is
        // authenticated (a wrong client secret gets the same 429, not invalid_client): a flood of retries is cheap.
        var sprayerClient = new OAuthClient(app, from: sprayer);
        var early = await sprayerClient.PasswordGrantAsync("nobody@acme.test", "Wrong-Guess!", TestData.CliClient, "not-the-secret");
        AssertOAuthTryLater(early);

        // Another IP is not held back by this one.
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        Assert.False((await new OAuthClient(app, from: Loopback.NextAddress()).PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task StepUpAndTokenExchange_ParallelWrongPasswords_AreThrottled_WithOAuth429AndRetryAfter()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var client = new OAuthClient(app, from: Loopback.NextAddress());
        var access = await client.AccessTokenAsync(email);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? client.StepUpAsync(access, $"Wrong-Guess-{i}!")
            : client.TokenExchangeStepUpAsync(access, $"Wrong-Guess-{i}!")));

        Assert.All(responses, r => Assert.True((int)r.HttpStatusCode < 500, $"{(int)r.HttpStatusCode} {r.Raw}"));
        Assert.Equal(ThrottlingApplication.PerAccount, responses.Count(r => r.Error == "invalid_grant"));
        var throttled = responses.Where(r => (int)r.HttpStatusCode == 429).ToList();
        Assert.Equal(12 - ThrottlingApplication.PerAccount, throttled.Count);
        Assert.All(throttled, AssertOAuthTryLater);
    }

    [Fact]
    public async Task SignInPage_ParallelWrongPasswords_AreThrottled_With429_RetryAfter_AndTheLocalizedMessage()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var from = Loopback.NextAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var browser = new OAuthClient(app, from: from);
            browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR");
            var response = await browser.SignInAsync("/Account/Login", email, $"Wrong-Guess-{i}!", TestData.TenantA);
            return (response.StatusCode, response.Headers.RetryAfter, Html: WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }));

        Assert.Equal(ThrottlingApplication.PerAccount, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var throttled = responses.Where(r => (int)r.StatusCode == 429).ToList();
        Assert.Equal(10 - ThrottlingApplication.PerAccount, throttled.Count);
        Assert.All(throttled, r =>
        {
            var seconds = (int)r.RetryAfter!.Delta!.Value.TotalSeconds;
            Assert.InRange(seconds, 1, 60);
            Assert.Contains($"Trop de tentatives échouées. Réessayez dans {seconds} secondes.", r.Html);
            Assert.Contains("role=\"alert\"", r.Html);
        });
    }

    [Fact]
    public async Task ReauthenticatePage_ParallelWrongPasswords_AreThrottled_With429_RetryAfter_AndTheLocalizedMessage()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app, from: Loopback.NextAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var response = await browser.PostFormAsync("/Account/Reauthenticate", new Dictionary<string, string> { ["Password"] = $"Wrong-Guess-{i}!" });
            return (response.StatusCode, response.Headers.RetryAfter, Html: WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }));

        Assert.Equal(ThrottlingApplication.PerAccount, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var throttled = responses.Where(r => (int)r.StatusCode == 429).ToList();
        Assert.Equal(10 - ThrottlingApplication.PerAccount, throttled.Count);
        Assert.All(throttled, r =>
        {
            var seconds = (int)r.RetryAfter!.Delta!.Value.TotalSeconds;
            Assert.InRange(seconds, 1, 60);
            Assert.Contains($"Zu viele fehlgeschlagene Versuche. Versuchen Sie es in {seconds} Sekunden erneut.", r.Html);
        });
    }

    [Fact]
    public async Task AccountApi_RespelledHeadersOfOneToken_AndTokensOfOneSession_ShareOnePartition()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var client = new OAuthClient(app);
        var tokens = await client.PasswordGrantAsync(email, TestData.StrongPassword);
        var token = tokens.AccessToken!;
        string[] spellings = [$"Bearer {token}", $"bEaReR {token}", $"Bearer    {token}", $"BEARER {token}   ", $"bearer  {token}"];
        Assert.Equal(ThrottlingApplication.ApiPermits, spellings.Length);

        foreach (var authorization in spellings)
        {
            var admitted = await V1EmptyBodyAsync(authorization);
            Assert.True(admitted.Status == 400, $"{authorization[..12]}: {admitted.Status} {admitted.Text}");
            Assert.Equal("invalid_request", admitted.Json.GetProperty("code").GetString());
        }
        var refused = await V1EmptyBodyAsync($"bEaReR   {token}");
        Assert.Equal(429, refused.Status);
        Assert.Equal("rate_limited", refused.Json.GetProperty("code").GetString());
        Assert.True(int.Parse(refused.Headers["retry-after"]) >= 1);

        // A new access token of the same session (refreshed) is the same caller: no fresh budget either.
        var refreshed = await client.RefreshAsync(tokens.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.Equal(429, (await V1EmptyBodyAsync($"Bearer {refreshed.AccessToken}")).Status);
    }

    private Task<RawResponse> V1EmptyBodyAsync(string authorization) =>
        RawHttp.SendAsync(app.Address, "POST", "/v1/users/me/password",
            [$"Authorization: {authorization}", $"X-Tenant-ID: {TestData.TenantA}", "Content-Type: application/json"], "{}"u8.ToArray());

    [Fact]
    public async Task AccountApi_ParallelFloods_Answer429WithRetryAfter_InEachDialectsShape()
    {
        var client = new OAuthClient(app);
        foreach (var dialect in new[] { "v1", "step-up", "envelope" })
        {
            var (_, email) = await app.CreateUserAsync(TestData.TenantA);
            var (access, stepUp) = await client.AccessAndStepUpAsync(email);
            var body = JsonSerializer.Serialize(new { current_password = "", new_password = "", password = "" });

            var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            {
                var http = app.CreateBrowserlessClient();
                return dialect switch
                {
                    "v1" => ApiCall.SendAsync(http, HttpMethod.Post, "/v1/users/me/password", access, body,
                        new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() }),
                    "step-up" => ApiCall.SendAsync(http, HttpMethod.Put, "/api/users/me/password", access, body,
                        new Dictionary<string, string> { ["X-Step-Up-Token"] = stepUp }),
                    _ => ApiCall.SendAsync(http, HttpMethod.Post, "/api/me/change-password", access, body),
                };
            }));

            Assert.All(responses, r => Assert.True((int)r.Status < 500, $"{dialect}: {(int)r.Status} {r.Body}"));
            var limited = responses.Where(r => (int)r.Status == 429).ToList();
            Assert.Equal(12 - ThrottlingApplication.ApiPermits, limited.Count);
            Assert.All(limited, r =>
            {
                Assert.True(int.Parse(r.Header("Retry-After")!) >= 1, dialect);
                switch (dialect)
                {
                    case "v1":
                        Assert.Equal("rate_limited", r.Code);
                        Assert.True(r.Body.GetProperty("details").GetProperty("retry_after_seconds").GetInt32() >= 1);
                        break;
                    case "step-up":
                        Assert.Equal("RATE_LIMITED", r.Code);
                        break;
                    default:
                        Assert.Equal(429, r.Body.GetProperty("code").GetInt32());
                        Assert.Equal("too many requests", r.Body.GetProperty("message").GetString());
                        break;
                }
            });
        }
    }
}
