using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Throttling;

/// <summary>The product's default throttling (20 failures a minute per IP, 10 per account) and lockout (5 per IP).</summary>
public sealed class DefaultThrottlingApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Throttling"] = new { FailuresPerIpPerMinute = 20, FailuresPerAccountPerMinute = 10 };
}

/// <summary>
/// Attempts are reserved before the password is known, so concurrent <em>right</em> passwords must not be mistaken for
/// a flood of failures: they take turns instead (found by bench/durability.sh, where 8 connections signing in one
/// account got about half their answers refused as locked, and later some throttled: more right passwords in flight
/// than the per-account throttle's 10). Twenty is above both the per-IP lockout (5) and the per-account throttle (10).
/// </summary>
public sealed class ConcurrentSignInTests(DefaultThrottlingApplication app) : IClassFixture<DefaultThrottlingApplication>
{
    [Fact]
    public async Task TwentyParallelSignIns_WithTheRightPassword_FromOneIp_AllSucceed_AndLockNothing()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = new Uri(app.Address, "connect/token").ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.CreateBrowserlessClient().RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = token, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            UserName = email, Password = TestData.StrongPassword, Scope = "openid",
        })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.HttpStatusCode));
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Null(user.LockoutEnd);
        Assert.Equal(0, user.AccessFailedCount);
    }
}
