using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Audit;
using IdentityHub.Passwords;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace IdentityHub.Web.Tests.Api;

/// <summary>
/// Bounded inputs from outside, over the real socket: a password over <see cref="PasswordNormalizer.MaxInputLength"/>
/// UTF-16 units is refused at every entry point in that endpoint's own shape, before anything hashes it or counts it
/// toward lockout (one of exactly the limit is not refused for its length), and an Accept-Language header of a
/// thousand entries gets a normal answer.
/// </summary>
public sealed class BoundedInputTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    /// <summary>One unit over the limit; letters only, so nothing but its length is wrong with it.</summary>
    private static readonly string TooLong = new('k', PasswordNormalizer.MaxInputLength + 1);

    /// <summary>Exactly the limit: not too_long (the strict policy still says max_length, its own 128 rule).</summary>
    private static readonly string AtTheLimit = new('k', PasswordNormalizer.MaxInputLength);

    private static string Json(object body) => JsonSerializer.Serialize(body);

    private Task<int> FailedCountAsync(Guid userId) =>
        app.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.AccessFailedCount).SingleAsync());

    private Task<int> FailedSignInsAsync(Guid userId) =>
        app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.SignInFailed));

    /// <summary>The "wrong password" line <c>PasswordSignInService</c> logs after a hash verification failed.</summary>
    private bool LoggedAWrongPassword(Guid userId) => app.Logs.Lines.Any(line => line.Contains($"Sign-in failed for user {userId}"));

    [Fact]
    public async Task V1_OverlongCurrentOrNewPassword_Is400InvalidRequest_TooLong_OnItsField()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var current = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TooLong, TestData.OtherStrongPassword);
        var next = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, TooLong);
        var atLimit = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, AtTheLimit);

        foreach (var (response, field) in new[] { (current, "current_password"), (next, "new_password") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("invalid_request", response.Code);
            Assert.Equal(field, response.Body.GetProperty("details").GetProperty("field").GetString());
            Assert.Equal("too_long", response.Body.GetProperty("details").GetProperty("reason").GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, atLimit.Status);
        Assert.Equal("weak_password", atLimit.Code);
        Assert.Contains("max_length", atLimit.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));

        // More overlong current passwords than the lockout allows (5): none counts, and the account still works.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("invalid_request", (await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TooLong, TestData.OtherStrongPassword)).Code);
        }
        Assert.Equal(0, await FailedCountAsync(userId));
        Assert.Equal(HttpStatusCode.NoContent, (await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)).Status);
    }

    [Fact]
    public async Task V1_CurrentPasswordOfExactlyTheLimit_IsAnOrdinaryWrongPassword()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, AtTheLimit, TestData.OtherStrongPassword);

        Assert.Equal("invalid_current_password", response.Code);
        Assert.Equal(1, await FailedCountAsync(userId));
    }

    [Fact]
    public async Task StepUpDialect_OverlongPassword_Is400ValidationError_TooLong()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var tooLong = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TooLong);
        var atLimit = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, AtTheLimit);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("VALIDATION_ERROR", tooLong.Code);
        Assert.Equal("password", tooLong.Body.GetProperty("field").GetString());
        Assert.Equal(["too_long"], tooLong.Body.GetProperty("violations").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("VALIDATION_ERROR", atLimit.Code);
        var rules = atLimit.Body.GetProperty("violations").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("max_length", rules);
        Assert.DoesNotContain("too_long", rules);
        // Neither consumed the step-up token.
        Assert.Equal(HttpStatusCode.OK, (await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword)).Status);
    }

    [Fact]
    public async Task EnvelopeDialect_OverlongPasswords_AreOneErrorEachWithMessageTooLong()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var both = await ApiCall.EnvelopeChangeAsync(oauth.Http, access, TooLong, TooLong);
        var atLimit = await ApiCall.EnvelopeChangeAsync(oauth.Http, access, TestData.StrongPassword, AtTheLimit);

        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
        Assert.Equal(400, both.Body.GetProperty("code").GetInt32());
        var errors = both.Body.GetProperty("data").GetProperty("errors").EnumerateArray()
            .Select(e => (Key: e.GetProperty("key").GetString(), Value: e.GetProperty("value").GetString(), Message: e.GetProperty("message").GetString()))
            .ToList();
        Assert.Equal([("current_password", "", "too_long"), ("new_password", "", "too_long")], errors);
        var limitMessages = atLimit.Body.GetProperty("data").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains("max_length", limitMessages);
        Assert.DoesNotContain("too_long", limitMessages);
        Assert.Equal(0, await FailedCountAsync(userId));
    }

    [Fact]
    public async Task PasswordGrant_OverlongPassword_IsInvalidRequest_NeverCountedNorHashed()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);

        // More than the lockout allows, for a real account and for an unknown one: the same answer every time.
        var responses = new List<TokenResponse>();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await oauth.PasswordGrantAsync(email, TooLong));
        }
        responses.Add(await oauth.PasswordGrantAsync("nobody@acme.test", TooLong));

        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.HttpStatusCode);
            Assert.Equal("invalid_request", r.Error);
        });
        Assert.Equal(0, await FailedCountAsync(userId));
        Assert.Equal(0, await FailedSignInsAsync(userId));
        Assert.False(LoggedAWrongPassword(userId));

        // Exactly the limit is an ordinary wrong password (counted), and the right one still signs in.
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, AtTheLimit)).Error);
        Assert.Equal(1, await FailedCountAsync(userId));
        Assert.True(LoggedAWrongPassword(userId));
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task StepUpGrant_AndTokenExchange_OverlongPassword_IsInvalidRequest_NeverCounted()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var responses = new List<TokenResponse>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await oauth.StepUpAsync(access, TooLong));
            responses.Add(await oauth.TokenExchangeStepUpAsync(access, TooLong));
        }

        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.HttpStatusCode);
            Assert.Equal("invalid_request", r.Error);
        });
        Assert.Equal(0, await FailedCountAsync(userId));
        Assert.Equal(0, await FailedSignInsAsync(userId));
        Assert.Equal("invalid_grant", (await oauth.TokenExchangeStepUpAsync(access, AtTheLimit)).Error);
        Assert.Equal(1, await FailedCountAsync(userId));
        Assert.False((await oauth.TokenExchangeStepUpAsync(access, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task SignInPage_OverlongPassword_ShowsTheGenericError_WithoutCountingIt()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);

        for (var i = 0; i < 6; i++)
        {
            var page = await browser.SignInAsync("/Account/Login", email, TooLong, TestData.TenantA);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("id=\"login-error\"", await page.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, await FailedCountAsync(userId));
        Assert.Equal(0, await FailedSignInsAsync(userId));
        Assert.False(LoggedAWrongPassword(userId));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);
    }

    [Fact]
    public async Task ReauthenticateAndChangePasswordPages_OverlongPasswords_ShowTheirError_WithoutCountingThem()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);

        for (var i = 0; i < 6; i++)
        {
            var reauth = await browser.PostFormAsync("/Account/Reauthenticate", new() { ["Password"] = TooLong });
            Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
            Assert.Contains("id=\"reauth-error\"", await reauth.Content.ReadAsStringAsync());

            var change = await browser.PostFormAsync("/Account/ChangePassword", new()
            {
                ["CurrentPassword"] = TooLong, ["NewPassword"] = TestData.OtherStrongPassword, ["ConfirmPassword"] = TestData.OtherStrongPassword,
            });
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            Assert.Contains("That password is too long.", await change.Content.ReadAsStringAsync());
        }
        var newTooLong = await browser.PostFormAsync("/Account/ChangePassword", new()
        {
            ["CurrentPassword"] = TestData.StrongPassword, ["NewPassword"] = TooLong, ["ConfirmPassword"] = TooLong,
        });
        Assert.Contains("That password is too long.", await newTooLong.Content.ReadAsStringAsync());

        Assert.Equal(0, await FailedCountAsync(userId));
        Assert.False(LoggedAWrongPassword(userId));
        var changed = await browser.PostFormAsync("/Account/ChangePassword", new()
        {
            ["CurrentPassword"] = TestData.StrongPassword, ["NewPassword"] = TestData.OtherStrongPassword, ["ConfirmPassword"] = TestData.OtherStrongPassword,
        });
        Assert.Contains("id=\"password-changed\"", await changed.Content.ReadAsStringAsync());
    }

    /// <summary>A thousand well-formed tags nobody speaks; <paramref name="first"/> and <paramref name="last"/> around them.</summary>
    private static string ThousandLanguages(string? first = null, string? last = null) =>
        string.Join(", ", new[] { first }.Concat(Enumerable.Range(0, 1000).Select(i => $"zz-{i};q=0.5")).Append(last).OfType<string>());

    [Fact]
    public async Task AcceptLanguage_WithAThousandEntries_GetsANormalAnswer_AndOnlyTheFirstFewCount()
    {
        // No cookie jar, so the Cookie header below is sent as written.
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.Address };
        async Task<string> LoginPageAsync(string header, string? cookie = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
            request.Headers.TryAddWithoutValidation("Accept-Language", header);
            if (cookie is not null)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookie);
            }
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("lang=\"fr\"", await LoginPageAsync(ThousandLanguages(first: "fr")));
        Assert.Contains("lang=\"en\"", await LoginPageAsync(ThousandLanguages(last: "fr")));
        // A forged switcher cookie naming an invented culture is ignored like any unknown language.
        Assert.Contains("lang=\"de\"", await LoginPageAsync("de", ".IdentityHub.Culture=c%3Dzz-1%7Cuic%3Dzz-1"));
    }

    [Fact]
    public async Task AcceptLanguage_WithAThousandEntries_StillChangesThePassword_AndPicksTheEmailLanguageFromTheFirstFew()
    {
        var (_, german) = await app.CreateUserAsync(TestData.TenantA);
        var (_, ignored) = await app.CreateUserAsync(TestData.TenantA);

        foreach (var (email, header) in new[] { (german, ThousandLanguages(first: "de")), (ignored, ThousandLanguages(last: "de")) })
        {
            var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password", await oauth.AccessTokenAsync(email),
                Json(new { current_password = TestData.StrongPassword, new_password = TestData.OtherStrongPassword }),
                new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString(), ["Accept-Language"] = header });
            Assert.Equal(HttpStatusCode.NoContent, response.Status);
        }

        Assert.Equal("Ihr Passwort wurde geändert", (await EmailToAsync(german)).Subject);
        // "de" is the 1,001st entry: never looked at, so the tenant's default (en) decides.
        Assert.Equal("Your password was changed", (await EmailToAsync(ignored)).Subject);
    }

    /// <summary>Waits for the .eml file the pickup directory gets for <paramref name="email"/>.</summary>
    private async Task<MimeMessage> EmailToAsync(string email) =>
        await Notifications.PickupDirectoryTests.WaitForEmlAsync(Path.Combine(app.Directory, "mail"), email)
        ?? throw new Xunit.Sdk.XunitException($"No email to {email}");
}
