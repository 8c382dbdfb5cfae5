using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Connect;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Throttling;

/// <summary>
/// The account-wide limit alone: the per-IP limit is lifted (every test request comes from 127.0.0.1), so what stops
/// the flood here is the database reservation. The hasher counts verifications per user.
/// </summary>
public sealed class AccountWideLimitApplication : CountingHasherApplication
{
    public const int MaxFailedAccessAttempts = 5;

    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Lockout"] = new { MaxFailedAccessAttempts, MaxFailedAccessAttemptsPerIp = 1000 };
}

/// <summary>
/// Security hardening, item 7: failed attempts are reserved before the password is verified. 40 parallel wrong
/// guesses against one account end with it locked; at most MaxFailedAccessAttempts of them are verified against the
/// real hash, the rest are answered as locked (after a dummy verification); none is a 500 and every one is audited.
/// </summary>
public sealed class AttemptReservationTests(AccountWideLimitApplication app) : IClassFixture<AccountWideLimitApplication>
{
    private const int Parallel = 40;
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task FortyParallelWrongGuesses_AtThePasswordGrant_VerifyAtMostTheLimit_LockTheAccount_AndAreEachAudited()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var disco = await oauth.DiscoverAsync();
        var verifiedBefore = app.Hasher.VerificationsOf(userId);

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => app.CreateBrowserlessClient().RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            UserName = email, Password = $"Wrong-Guess-{i}!", Scope = "openid",
        })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.HttpStatusCode));
        Assert.All(responses, r => Assert.Equal("invalid_grant", r.Error));
        var verified = app.Hasher.VerificationsOf(userId) - verifiedBefore;
        Assert.InRange(verified, 1, AccountWideLimitApplication.MaxFailedAccessAttempts);
        Assert.Equal(Parallel, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.SignInFailed)));
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "the account must be locked");

        // Locked: the right password is refused too, and is not verified against the real hash.
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
        Assert.Equal(verified, app.Hasher.VerificationsOf(userId) - verifiedBefore);
    }

    [Fact]
    public async Task FortyParallelWrongCurrentPasswords_AtTheV1Dialect_VerifyAtMostTheLimit_LockTheAccount_AndAreEachAudited()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var verifiedBefore = app.Hasher.VerificationsOf(userId);

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i =>
            ApiCall.V1ChangeAsync(app.CreateBrowserlessClient(), token, TestData.TenantA, $"Wrong-Guess-{i}!", TestData.OtherStrongPassword)));

        Assert.All(responses, r => Assert.True((int)r.Status < 500, $"{(int)r.Status} {r.Body}"));
        Assert.All(responses, r => Assert.Contains(r.Code, new[] { "invalid_current_password", "too_many_attempts" }));
        Assert.Contains(responses, r => r.Code == "too_many_attempts" && r.Header("Retry-After") is not null);
        var verified = app.Hasher.VerificationsOf(userId) - verifiedBefore;
        Assert.InRange(verified, 1, AccountWideLimitApplication.MaxFailedAccessAttempts);
        // Only a verified guess can be told "wrong" (the one reaching the limit is told "locked" instead).
        Assert.True(responses.Count(r => r.Code == "invalid_current_password") <= verified);
        Assert.Equal(Parallel, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.CurrentPasswordFailed)));
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "the account must be locked");
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
    }
}
