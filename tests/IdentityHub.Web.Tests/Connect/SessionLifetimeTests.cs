using System.Net;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// Default session lifetimes (30 days absolute, 14 idle) with refresh tokens that would outlive both (60 days), so a
/// refusal can only come from the session's lifetimes.
/// </summary>
public sealed class LongRefreshTokensApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Server"] = new { AllowInsecureHttp = true, RefreshTokenLifetime = "60.00:00:00" };
}

/// <summary>
/// Short session lifetimes (6 hours idle, 20 absolute) under access tokens that live a day, so the account API's own
/// check is what refuses a token that is otherwise still valid.
/// </summary>
public sealed class ShortSessionsApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Server"] = new { AllowInsecureHttp = true, AccessTokenLifetime = "1.00:00:00" };
        settings["Sessions"] = new { IdleLifetime = "06:00:00", AbsoluteLifetime = "20:00:00" };
    }
}

/// <summary>A session ends after 14 idle days or 30 days in all, whatever its refresh tokens' own lifetime.</summary>
public sealed class SessionLifetimeTests(LongRefreshTokensApplication app) : IClassFixture<LongRefreshTokensApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task ARefreshToken_IsRefused_After14DaysWithoutUse_AndEachRefreshCountsAsUse()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var unused = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        var used = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(unused.IsError || used.IsError);
        var shifted = TimeSpan.Zero;
        try
        {
            shifted += Advance(TimeSpan.FromDays(13));
            used = await oauth.RefreshAsync(used.RefreshToken!);
            Assert.False(used.IsError, used.Error);

            // 14 days after both sign-ins: the session nobody used has ended, the one refreshed a day ago has not.
            shifted += Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
            var idle = await oauth.RefreshAsync(unused.RefreshToken!);
            var active = await oauth.RefreshAsync(used.RefreshToken!);

            Assert.Equal("invalid_grant", idle.Error);
            Assert.False(active.IsError, active.Error);
            // (The account API refuses an idle session too; no access token outlives 14 idle days, so that check is
            // shown with short lifetimes in SessionApiLifetimeTests.)
        }
        finally
        {
            Advance(-shifted);
        }
    }

    [Fact]
    public async Task ASessionUsedEvery10Days_IsRefused_After30Days()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError, tokens.Error);
        var shifted = TimeSpan.Zero;
        try
        {
            for (var use = 1; use <= 2; use++)
            {
                shifted += Advance(TimeSpan.FromDays(10));
                tokens = await oauth.RefreshAsync(tokens.RefreshToken!);
                Assert.False(tokens.IsError, $"day {use * 10}: {tokens.Error}");
            }

            shifted += Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(2));
            var expired = await oauth.RefreshAsync(tokens.RefreshToken!);

            Assert.Equal("invalid_grant", expired.Error);
        }
        finally
        {
            Advance(-shifted);
        }
    }

    private TimeSpan Advance(TimeSpan by)
    {
        app.Clock.Advance(by);
        return by;
    }
}

/// <summary>The account API enforces both lifetimes on access tokens that are otherwise still valid, and counts as use.</summary>
public sealed class SessionApiLifetimeTests(ShortSessionsApplication app) : IClassFixture<ShortSessionsApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task AccountApi_Returns401_OnceTheSessionIsIdle_AndEachCallCountsAsUse()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError, tokens.Error);
        var shifted = TimeSpan.Zero;
        try
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await CallAsync(tokens.AccessToken!)).Status);
            shifted += Advance(TimeSpan.FromHours(5));
            Assert.Equal(HttpStatusCode.BadRequest, (await CallAsync(tokens.AccessToken!)).Status);
            // Ten hours after sign-in, five since the last call: still active.
            shifted += Advance(TimeSpan.FromHours(5));
            Assert.Equal(HttpStatusCode.BadRequest, (await CallAsync(tokens.AccessToken!)).Status);

            // Six idle hours; the token itself is good for a day and the session for 20 hours.
            shifted += Advance(TimeSpan.FromHours(6) + TimeSpan.FromMinutes(2));
            var idle = await CallAsync(tokens.AccessToken!);

            Assert.Equal(HttpStatusCode.Unauthorized, idle.Status);
            Assert.Equal("unauthenticated", idle.Code);
            Assert.Equal("invalid_grant", (await oauth.RefreshAsync(tokens.RefreshToken!)).Error);
        }
        finally
        {
            Advance(-shifted);
        }
    }

    [Fact]
    public async Task AccountApi_Returns401_AfterTheAbsoluteLifetime_HoweverRecentTheLastUse()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var shifted = TimeSpan.Zero;
        try
        {
            for (var hours = 5; hours <= 15; hours += 5)
            {
                shifted += Advance(TimeSpan.FromHours(5));
                Assert.Equal(HttpStatusCode.BadRequest, (await CallAsync(token)).Status);
            }

            shifted += Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(2));
            var expired = await CallAsync(token);

            Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        }
        finally
        {
            Advance(-shifted);
        }
    }

    /// <summary>An authenticated call that changes nothing: the right current password and a too-short new one (400 weak_password).</summary>
    private async Task<ApiResponse> CallAsync(string accessToken)
    {
        var response = await ApiCall.V1ChangeAsync(oauth.Http, accessToken, TestData.TenantA, TestData.StrongPassword, "short");
        if (response.Status == HttpStatusCode.BadRequest)
        {
            Assert.Equal("weak_password", response.Code);
        }
        return response;
    }

    private TimeSpan Advance(TimeSpan by)
    {
        app.Clock.Advance(by);
        return by;
    }
}
