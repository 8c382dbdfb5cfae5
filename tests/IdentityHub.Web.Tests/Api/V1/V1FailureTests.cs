using System.Net;
using IdentityHub.Accounts;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.Api.V1;

/// <summary>A host whose password hasher can be made to throw on demand: the seam for HASH_FAILURE.</summary>
public sealed class FaultyHasherApplication : HubApplication
{
    public FaultyHasher Hasher { get; private set; } = null!;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        WrapPasswordHasher(builder, real => Hasher = new FaultyHasher(real));
    }
}

/// <summary>
/// Identity's hasher, failing on demand both when it hashes and when it verifies. A change's new hash comes from the
/// password history's derivation (one PBKDF2 for the hash and its fingerprint), so the hasher a change still calls is
/// the verification (of the current password, or of the new one against it): a failure there must leave the account
/// as it was, like a failure at any later step (the commit's are covered by the database tests below).
/// </summary>
public sealed class FaultyHasher(IPasswordHasher<HubUser> inner) : IPasswordHasher<HubUser>
{
    public volatile bool FailHashing;

    public string HashPassword(HubUser user, string password) =>
        FailHashing ? throw Simulated() : inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(HubUser user, string hashedPassword, string providedPassword) =>
        FailHashing ? throw Simulated() : inner.VerifyHashedPassword(user, hashedPassword, providedPassword);

    private static System.Security.Cryptography.CryptographicException Simulated() => new("simulated hasher failure");
}

/// <summary>Server-side failures: 500 <c>internal_error</c> without internals, and the account left as it was.</summary>
public sealed class V1FailureTests(FaultyHasherApplication app) : IClassFixture<FaultyHasherApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task HasherThrows_Returns500_internal_error_AndKeepsThePassword()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var before = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        app.Hasher.FailHashing = true;
        ApiResponse response;
        try
        {
            response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        }
        finally
        {
            app.Hasher.FailHashing = false;
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("internal_error", response.Code);
        var raw = response.Body.GetRawText();
        Assert.DoesNotContain("simulated", raw);
        Assert.DoesNotContain("   at ", raw);
        var after = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
    }

    [Fact]
    [Trait("Database", "Sqlite")] // SQLite's own locking and file format
    public async Task DatabaseLockedByAnotherWriter_Returns500_internal_error_AndChangesNothing()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var before = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));

        // Another writer holds SQLite's write lock for longer than the host's busy timeout (2 s).
        ApiResponse response;
        await using (await DatabaseLock.AcquireAsync(app))
        {
            response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("internal_error", response.Code);
        var after = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        // Once the lock is gone the same request succeeds: nothing was left half-done.
        var retry = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, retry.Status);
    }
}

/// <summary>A host with a tiny rate limit, to provoke 429 for real.</summary>
public sealed class RateLimitedApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["RateLimiting"] = new { PermitLimit = 2, Window = "00:05:00" };
}

public sealed class V1RateLimitTests(RateLimitedApplication app) : IClassFixture<RateLimitedApplication>
{
    [Fact]
    public async Task TooManyRequests_Returns429_rate_limited_WithRetryAfter()
    {
        var oauth = new OAuthClient(app);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var first = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, "Wrong-Password-1!", TestData.OtherStrongPassword);
        var second = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, "Wrong-Password-2!", TestData.OtherStrongPassword);
        var third = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal((HttpStatusCode)429, third.Status);
        Assert.Equal("rate_limited", third.Code);
        Assert.True(int.Parse(third.Header("Retry-After")!) > 0);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError, "a rate-limited request must change nothing");
    }
}

/// <summary>Seed 002's server-side failures on the same faulty-hasher host.</summary>
public sealed class StepUpFailureTests(FaultyHasherApplication app) : IClassFixture<FaultyHasherApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task HasherThrows_Returns500_HASH_FAILURE()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        app.Hasher.FailHashing = true;
        ApiResponse response;
        try
        {
            response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        }
        finally
        {
            app.Hasher.FailHashing = false;
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("HASH_FAILURE", response.Code);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    [Trait("Database", "Sqlite")] // SQLite's own locking and file format
    public async Task DatabaseLocked_Returns500_DATABASE_FAILURE_AndTheStepUpTokenStaysUsable()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        // Another writer holds SQLite's write lock for longer than the host's busy timeout (2 s).
        ApiResponse response;
        await using (await DatabaseLock.AcquireAsync(app))
        {
            response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("DATABASE_FAILURE", response.Code);
        // Nothing was consumed or changed: the same step-up token works once the database is back.
        var retry = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
    }
}

/// <summary>A database file corrupted under the running host: every dialect answers its database error, never an unknown one.</summary>
public sealed class CorruptDatabaseTests
{
    [Fact]
    [Trait("Database", "Sqlite")] // SQLite's own locking and file format
    public async Task CorruptDatabaseFile_IsADatabaseFailure_InEveryDialect_EvenDuringTokenValidation()
    {
        using var app = new HubApplication();
        var oauth = new OAuthClient(app);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        // Close every pooled connection, then overwrite the file (and its WAL) with garbage: the next connection the
        // host opens reads "file is not a database" while it validates the access token.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal", app.DatabasePath + "-shm" })
        {
            if (File.Exists(file))
            {
                await File.WriteAllBytesAsync(file, Enumerable.Repeat((byte)0x5A, 8192).ToArray());
            }
        }

        var stepUpDialect = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        var v1 = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        var envelope = await ApiCall.EnvelopeChangeAsync(oauth.Http, access, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.InternalServerError, stepUpDialect.Status);
        Assert.Equal("DATABASE_FAILURE", stepUpDialect.Code);
        Assert.Equal(HttpStatusCode.InternalServerError, v1.Status);
        Assert.Equal("internal_error", v1.Code);
        Assert.Equal(HttpStatusCode.InternalServerError, envelope.Status);
        Assert.Equal(500, envelope.Body.GetProperty("code").GetInt32());
        Assert.Equal("internal server error", envelope.Body.GetProperty("message").GetString());
        // The host is still up for what needs no database.
        Assert.Equal(HttpStatusCode.OK, (await oauth.Http.GetAsync("/healthz")).StatusCode);
    }
}
