using System.Net;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Cluster;

/// <summary>
/// Two instances sharing their counters through a real Redis server: 4 account API calls a minute, 3 failures per
/// (IP, account) before that IP is locked out of that account, 20 account-wide.
/// </summary>
public sealed class RedisClusterFixture : ClusterFixture
{
    public const int PermitLimit = 4;

    public RedisServer Redis { get; } = new();

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Redis"] = new { Redis.Configuration };
        settings["RateLimiting"] = new { PermitLimit, Window = "00:01:00" };
        settings["Lockout"] = new { MaxFailedAccessAttemptsPerIp = 3, MaxFailedAccessAttempts = 20 };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Redis.Dispose();
        }
    }
}

/// <summary>With Redis configured, a limit counts once across the instances, and fails closed while Redis is away.</summary>
public sealed class RedisClusterTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task TheAccountApiRateLimit_HoldsAcrossTheInstances()
    {
        // Arrange
        var (_, email) = await cluster.A.CreateUserAsync(TestData.TenantA);
        var token = await new OAuthClient(cluster.A).AccessTokenAsync(email);

        // Act: one caller spreads its calls over A and B (an empty body: refused after the limiter, without a hash).
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < RedisClusterFixture.PermitLimit + 2; i++)
        {
            statuses.Add((await EmptyChangeAsync(cluster.Node(i), token)).Status);
        }

        // Assert: 4 in all, not 4 per instance.
        Assert.All(statuses.Take(RedisClusterFixture.PermitLimit), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.All(statuses.Skip(RedisClusterFixture.PermitLimit), s => Assert.Equal((HttpStatusCode)429, s));
    }

    [Fact]
    public async Task WrongPasswordsFromOneIp_SentAlternatelyToAAndB_LockThatIpOutAfterThePerIpCount_NotTwice()
    {
        // Arrange
        var (_, email) = await cluster.A.CreateUserAsync(TestData.TenantA);

        // Act: three failures from 127.0.0.1, alternately on A and B; then the right password from there and from elsewhere.
        var failures = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add((await new OAuthClient(cluster.Node(i)).PasswordGrantAsync(email, $"Wrong-Password-{i}!")).Error);
        }
        var fromThisIpOnA = await new OAuthClient(cluster.A).PasswordGrantAsync(email, TestData.StrongPassword);
        var fromThisIpOnB = await new OAuthClient(cluster.B).PasswordGrantAsync(email, TestData.StrongPassword);
        var fromAnotherIp = await new OAuthClient(cluster.B, from: Loopback.NextAddress()).PasswordGrantAsync(email, TestData.StrongPassword);

        // Assert: 3 in all locked this IP out on both (per instance it would take 6); the owner elsewhere is not locked out.
        Assert.All(failures, e => Assert.Equal("invalid_grant", e));
        Assert.True(fromThisIpOnA.IsError, "A: this IP is locked out of the account");
        Assert.True(fromThisIpOnB.IsError, "B: this IP is locked out of the account");
        Assert.False(fromAnotherIp.IsError, fromAnotherIp.Error);
    }

    [Fact]
    public async Task WhileRedisIsDown_CountedRequestsAreRefusedWith429_NotLetThrough_AndReadinessFails()
    {
        // Arrange
        var (_, email) = await cluster.A.CreateUserAsync(TestData.TenantA);
        var token = await new OAuthClient(cluster.A).AccessTokenAsync(email);
        var http = cluster.B.CreateBrowserlessClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        cluster.Redis.Stop();
        try
        {
            // Act
            var refused = await EmptyChangeAsync(cluster.B, token);
            var signIn = await new OAuthClient(cluster.B).PasswordGrantAsync(email, TestData.StrongPassword);
            var ready = await http.GetAsync("/readyz");

            // Assert: refused, not let through uncounted, and never a 500.
            Assert.Equal((HttpStatusCode)429, refused.Status);
            Assert.NotNull(refused.Header("Retry-After"));
            Assert.Equal((HttpStatusCode)429, signIn.HttpStatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            cluster.Redis.Start();
        }

        // Back: each instance's connection comes back by itself.
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            HttpStatusCode status;
            while ((status = (await node.CreateBrowserlessClient().GetAsync("/readyz")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            Assert.Equal(HttpStatusCode.OK, status);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await EmptyChangeAsync(cluster.B, token)).Status);
    }

    private static Task<ApiResponse> EmptyChangeAsync(ClusterNode node, string token) =>
        ApiCall.SendAsync(node.CreateBrowserlessClient(), HttpMethod.Post, "/v1/users/me/password", token, "{}",
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });
}
