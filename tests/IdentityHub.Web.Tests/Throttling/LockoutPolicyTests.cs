using System.Net;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Throttling;

/// <summary>Production's shape with small numbers: 3 failures lock one IP out of an account, 8 lock the account.</summary>
public sealed class LockoutPolicyApplication : HubApplication
{
    public const int PerIp = 3;
    public const int AccountWide = 8;

    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Lockout"] = new { MaxFailedAccessAttempts = AccountWide, MaxFailedAccessAttemptsPerIp = PerIp };
}

/// <summary>
/// Security hardening, item 10: lockout is not a denial-of-service lever. Failures from one IP lock that IP out of the
/// account first, while the owner on another IP still signs in; only the higher account-wide count locks everyone; and
/// a locked account's existing sessions keep refreshing their tokens. Each client IP is a loopback address of its own.
/// </summary>
public sealed class LockoutPolicyTests(LockoutPolicyApplication app) : IClassFixture<LockoutPolicyApplication>
{
    private async Task FailFromAsync(IPAddress from, string email, int times)
    {
        var attacker = new OAuthClient(app, from: from);
        for (var i = 0; i < times; i++)
        {
            Assert.Equal("invalid_grant", (await attacker.PasswordGrantAsync(email, $"Wrong-Guess-{i}!")).Error);
        }
    }

    [Fact]
    public async Task FailuresFromOneIp_LockThatIpOutOfTheAccount_WhileAnotherIpStillSignsIn()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var attackerIp = Loopback.NextAddress();
        var owner = new OAuthClient(app, from: Loopback.NextAddress());
        var attacker = new OAuthClient(app, from: attackerIp);

        await FailFromAsync(attackerIp, email, LockoutPolicyApplication.PerIp);

        // The attacker's IP is locked out of the account: even the right password is refused from there...
        Assert.Equal("invalid_grant", (await attacker.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
        // ...on every entry point (the sign-in page shares the check).
        var page = await attacker.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("role=\"alert\"", await page.Content.ReadAsStringAsync());
        // ...while the owner, elsewhere, signs in; the account itself was never locked.
        Assert.False((await owner.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Null(user.LockoutEnd);
        // The owner's success does not lift the attacker's lock.
        Assert.Equal("invalid_grant", (await attacker.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
        // The server saw the two addresses (the client IP comes from the connection).
        var seen = await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == userId).Select(e => e.IpAddress).Distinct().ToListAsync());
        Assert.Contains(attackerIp.ToString(), seen);
        Assert.DoesNotContain("127.0.0.1", seen);
    }

    [Fact]
    public async Task TheAccountWideCount_FromSeveralIps_LocksEveryone()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);

        // 3 + 3 + 2 = 8 failures from three IPs, none of which alone reaches the account-wide count.
        await FailFromAsync(Loopback.NextAddress(), email, 3);
        await FailFromAsync(Loopback.NextAddress(), email, 3);
        await FailFromAsync(Loopback.NextAddress(), email, 2);

        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "8 failures must lock the account");
        Assert.Equal("invalid_grant", (await new OAuthClient(app, from: Loopback.NextAddress()).PasswordGrantAsync(email, TestData.StrongPassword)).Error);
        Assert.Equal(LockoutPolicyApplication.AccountWide + 1,
            await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.SignInFailed)));
    }

    [Fact]
    public async Task WhenTheLockEnds_TheCountStartsAgain_AndTheOwnerSignsIn()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        for (var ip = 0; ip < 3; ip++)
        {
            await FailFromAsync(Loopback.NextAddress(), email, 3);
        }
        var owner = new OAuthClient(app, from: Loopback.NextAddress());
        Assert.Equal("invalid_grant", (await owner.PasswordGrantAsync(email, TestData.StrongPassword)).Error);

        app.Clock.Advance(TimeSpan.FromMinutes(16)); // the default lockout is 15 minutes
        try
        {
            // One wrong guess after the lock: counted from zero again, not refused as locked.
            await FailFromAsync(Loopback.NextAddress(), email, 1);
            Assert.Equal(1, await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.AccessFailedCount).SingleAsync()));
            Assert.False((await owner.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
            var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
            Assert.Equal(0, user.AccessFailedCount);
            Assert.Null(user.LockoutEnd);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-16));
        }
    }

    [Fact]
    public async Task ALockedAccount_StillRefreshesTheTokensOfItsExistingSessions()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var owner = new OAuthClient(app, from: Loopback.NextAddress());
        var tokens = await owner.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError);

        for (var ip = 0; ip < 3; ip++)
        {
            await FailFromAsync(Loopback.NextAddress(), email, 3);
        }
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "the account must be locked");
        Assert.Equal("invalid_grant", (await owner.PasswordGrantAsync(email, TestData.StrongPassword)).Error);

        var refreshed = await owner.RefreshAsync(tokens.RefreshToken!);

        Assert.False(refreshed.IsError, $"{refreshed.Error}: {refreshed.ErrorDescription}");
        Assert.NotNull(refreshed.AccessToken);
        var again = await owner.RefreshAsync(refreshed.RefreshToken!);
        Assert.False(again.IsError, $"{again.Error}: {again.ErrorDescription}");
    }
}
