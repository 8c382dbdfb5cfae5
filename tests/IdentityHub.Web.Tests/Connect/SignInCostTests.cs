using IdentityHub.Accounts;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>A host whose password hasher counts its calls (the real hasher underneath): the seam for constant-work checks.</summary>
public class CountingHasherApplication : HubApplication
{
    public CountingHasher Hasher { get; private set; } = null!;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        WrapPasswordHasher(builder, real => Hasher = new CountingHasher(real));
    }
}

public sealed class CountingHasher(IPasswordHasher<HubUser> inner) : IPasswordHasher<HubUser>
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> verificationsByUser = new();
    private int hashes;
    private int verifications;

    public (int Hashes, int Verifications) Counts => (Volatile.Read(ref hashes), Volatile.Read(ref verifications));

    /// <summary>Verifications against the real hash of one user (the dummy hash belongs to no user: Guid.Empty).</summary>
    public int VerificationsOf(Guid userId) => verificationsByUser.GetValueOrDefault(userId);

    public string HashPassword(HubUser user, string password)
    {
        Interlocked.Increment(ref hashes);
        return inner.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(HubUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        verificationsByUser.AddOrUpdate(user.Id, 1, (_, count) => count + 1);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>
/// Security hardening, item 6: every failed password grant costs exactly one password verification and no hashing,
/// whatever the reason, so response time does not tell an unknown email from a known one, a locked account or an
/// account without a password. The dummy hash behind the first three is computed once per process.
/// </summary>
public sealed class SignInCostTests(CountingHasherApplication app) : IClassFixture<CountingHasherApplication>
{
    private readonly OAuthClient oauth = new(app);

    /// <summary>Runs one password grant that must fail, and returns how many hashes and verifications it cost.</summary>
    private async Task<(int Hashes, int Verifications)> FailedGrantCostAsync(string email, string password)
    {
        var before = app.Hasher.Counts;
        var response = await oauth.PasswordGrantAsync(email, password);
        var after = app.Hasher.Counts;
        Assert.True(response.IsError, $"the grant for {email} should have failed");
        Assert.Equal("invalid_grant", response.Error);
        return (after.Hashes - before.Hashes, after.Verifications - before.Verifications);
    }

    [Fact]
    public async Task EveryFailedPasswordGrant_CostsExactlyOneVerification_AndNoHash()
    {
        // Users first: creating one hashes its password, which must not fall inside a measurement.
        var (_, wrongPasswordEmail) = await app.CreateUserAsync(TestData.TenantA);
        var (lockedId, lockedEmail) = await app.CreateUserAsync(TestData.TenantA);
        await app.WithServicesAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<HubUser>>();
            var locked = await users.FindByIdAsync(lockedId.ToString());
            return await users.SetLockoutEndDateAsync(locked!, DateTimeOffset.UtcNow.AddDays(1));
        });
        await oauth.DiscoverAsync();
        // Warm-up: the first failure without a hash of its own may compute the process's dummy hash (once).
        await oauth.PasswordGrantAsync($"warm-up-{Guid.NewGuid():N}@acme.test", TestData.StrongPassword);

        var costs = new List<(string Case, int Hashes, int Verifications)>();
        foreach (var (name, email, password) in new[]
        {
            ("unknown email", $"nobody-{Guid.NewGuid():N}@acme.test", TestData.StrongPassword),
            ("another unknown email", $"nobody-{Guid.NewGuid():N}@acme.test", TestData.OtherStrongPassword),
            ("no local password", "sso-only@acme.test", TestData.StrongPassword),
            // The right password of a locked account: refused, and still one verification.
            ("locked account", lockedEmail, TestData.StrongPassword),
            ("wrong password", wrongPasswordEmail, "Not-The-Password-77!"),
        })
        {
            var (hashes, verifications) = await FailedGrantCostAsync(email, password);
            costs.Add((name, hashes, verifications));
        }

        // Every case: zero hashes, one verification (compared as a whole, so a failure lists every case).
        Assert.Equal(costs.Select(c => (c.Case, 0, 1)), costs);
    }
}
