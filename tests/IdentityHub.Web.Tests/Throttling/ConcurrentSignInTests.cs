using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Throttling;

/// <summary>
/// Attempts are reserved before the password is known, so concurrent <em>right</em> passwords must not be mistaken for
/// a flood of failures: they take turns instead (found by bench/durability.sh, where 8 connections signing in one
/// account got about half their answers refused as locked).
/// </summary>
public sealed class ConcurrentSignInTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task TwelveParallelSignIns_WithTheRightPassword_FromOneIp_AllSucceed_AndLockNothing()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = new Uri(app.Address, "connect/token").ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.CreateBrowserlessClient().RequestPasswordTokenAsync(new PasswordTokenRequest
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
