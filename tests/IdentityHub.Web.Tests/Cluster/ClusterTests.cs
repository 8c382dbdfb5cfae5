using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Accounts;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Tests.Cluster;

/// <summary>
/// Two instances over one database behave as one: what one instance changes or uses up, the other sees at once.
/// Every request goes through the sockets of the instance named.
/// </summary>
public sealed partial class ClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private ClusterNode A => cluster.A;

    private ClusterNode B => cluster.B;

    [Fact]
    public async Task APasswordChangeOnA_RefusesTheOldRefreshAndAccessTokenOnB_AtOnce()
    {
        // Arrange
        var (_, email) = await A.CreateUserAsync(TestData.TenantA);
        var onA = new OAuthClient(A);
        var onB = new OAuthClient(B);
        var before = await onA.PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid offline_access account");
        Assert.False(before.IsError, before.Error);
        Assert.False((await onB.RefreshAsync(before.RefreshToken!)).IsError, "B accepts A's refresh token before the change");

        // Act
        var change = await ApiCall.V1ChangeAsync(onA.Http, await onA.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        Assert.Equal("invalid_grant", (await onB.RefreshAsync(before.RefreshToken!)).Error);
        var withOldAccessToken = await ApiCall.V1ChangeAsync(onB.Http, before.AccessToken, TestData.TenantA, TestData.OtherStrongPassword, TestData.ThirdStrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, withOldAccessToken.Status);
    }

    [Fact]
    public async Task AStepUpToken_SentToAAndBAtOnce_IsConsumedOnce_AndRefusedOnBAfterA()
    {
        // Arrange
        var (userId, email) = await A.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await new OAuthClient(A).AccessAndStepUpAsync(email);

        // Act: the same token on both instances at once, then once more on B.
        var responses = await Task.WhenAll(
            ApiCall.StepUpChangeAsync(A.CreateBrowserlessClient(), access, stepUp, TestData.OtherStrongPassword),
            ApiCall.StepUpChangeAsync(B.CreateBrowserlessClient(), access, stepUp, TestData.ThirdStrongPassword));
        var laterOnB = await ApiCall.StepUpChangeAsync(B.CreateBrowserlessClient(), access, stepUp, TestData.StrongPassword);

        // Assert
        Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        var refused = Assert.Single(responses, r => r.Status != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains(refused.Code, new[] { "STEP_UP_TOKEN_INVALID", "ACCESS_TOKEN_INVALID" });
        Assert.Equal(HttpStatusCode.Unauthorized, laterOnB.Status);
        Assert.Equal(1, await B.QueryAsync(db => db.ConsumedStepUpTokens.CountAsync(c => c.UserId == userId)));
        var winner = responses[0].Status == HttpStatusCode.OK ? TestData.OtherStrongPassword : TestData.ThirdStrongPassword;
        Assert.False((await new OAuthClient(B).PasswordGrantAsync(email, winner)).IsError);
    }

    [Fact]
    public async Task TwentyConcurrentChangesOfOneAccount_SpreadOverAAndB_OneWins_NoServerError_NoLostUpdate()
    {
        // Arrange
        var (userId, email) = await A.CreateUserAsync(TestData.TenantA);
        var token = await new OAuthClient(A).AccessTokenAsync(email);
        var candidates = Enumerable.Range(0, 20).Select(i => $"{TestData.OtherStrongPassword}-{i:D2}x").ToArray();

        // Act
        var responses = await Task.WhenAll(candidates.Select((next, i) =>
            ApiCall.V1ChangeAsync(cluster.Node(i).CreateBrowserlessClient(), token, TestData.TenantA, TestData.StrongPassword, next)));

        // Assert
        var winner = Assert.Single(responses.Select((r, i) => (Response: r, Password: candidates[i])), r => r.Response.Status == HttpStatusCode.NoContent);
        Assert.All(responses.Where(r => r != winner.Response), r => Assert.Contains(r.Status,
            new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, (HttpStatusCode)429 }));
        // The stored hash is the winner's, whichever instance committed it (checked without counting toward lockout).
        var stored = await B.WithServicesAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<HubUser>>();
            var user = await users.FindByIdAsync(userId.ToString());
            return candidates.Where(p => users.PasswordHasher.VerifyHashedPassword(user!, user!.PasswordHash!, p) != PasswordVerificationResult.Failed).ToList();
        });
        Assert.Equal([winner.Password], stored);
        Assert.Equal(1, await A.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == "password_changed")));
    }

    [Fact]
    public async Task FiftyChangesAcrossTheInstances_SendFiftyEmails_NoneTwice()
    {
        // Arrange
        var users = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => A.CreateUserAsync(TestData.TenantA)));

        // Act
        var statuses = await Task.WhenAll(users.Select(async (user, i) =>
        {
            var node = new OAuthClient(cluster.Node(i));
            var token = await node.AccessTokenAsync(user.Email);
            return (await ApiCall.V1ChangeAsync(node.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)).Status;
        }));

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
        var recipients = users.Select(u => u.Email).ToHashSet();
        var mail = await WaitForMailAsync(recipients, 50);
        Assert.Equal(50, mail.Count);
        Assert.Equal(recipients.Order(), mail.Select(m => m.To.Mailboxes.Single().Address).Order());
        // Each email's Message-ID is its outbox message's id: a duplicate would be recognisable as one.
        var ids = await A.QueryAsync(db => db.Outbox.Where(m => recipients.Contains(m.ToAddress)).Select(m => m.Id).ToListAsync());
        Assert.Equal(ids.Select(id => $"{id:N}@identityhub").Order(), mail.Select(m => m.MessageId).Order());
        Assert.Equal(50, await A.QueryAsync(db => db.Outbox.CountAsync(m => recipients.Contains(m.ToAddress) && m.Status == OutboxStatus.Sent && m.Attempts == 1)));
    }

    [Fact]
    public async Task ABrowserSessionStartedOnA_ContinuesOnB_AndAFormServedByA_PostsToB()
    {
        // Arrange: signed in on A; the change-password form is served by A.
        var (_, email) = await A.CreateUserAsync(TestData.TenantA);
        var cookies = new CookieContainer();
        var onA = new OAuthClient(A, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await onA.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);
        var form = await (await onA.Http.GetAsync("/Account/ChangePassword")).Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.NotEmpty(antiforgery);
        // Cookies are per host, not per port: the browser sends the same ones to B.
        var onB = new OAuthClient(B, cookies);

        // Act
        var manage = await onB.Http.GetAsync("/Account/Manage");
        var posted = await onB.Http.PostAsync("/Account/ChangePassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["CurrentPassword"] = TestData.StrongPassword,
            ["NewPassword"] = TestData.OtherStrongPassword,
            ["ConfirmPassword"] = TestData.OtherStrongPassword,
        }));

        // Assert
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.False((await new OAuthClient(A).PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError, "the form posted to B changed the password");
        // One key ring: the instances made no key of their own beside the one in the database.
        Assert.Single(await B.QueryAsync(db => db.DataProtectionKeys.ToListAsync()));
    }

    [Fact]
    public async Task WrongPasswordsSentAlternatelyToAAndB_LockTheAccountAfterTheConfiguredCount_NotTwice()
    {
        // Arrange: the fixture's limit is 5 account-wide (and 5 per IP, counted on each instance).
        var (userId, email) = await A.CreateUserAsync(TestData.TenantA);

        // Act
        var failures = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add((await new OAuthClient(cluster.Node(i)).PasswordGrantAsync(email, $"Wrong-Password-{i}!")).Error);
        }
        var rightOnA = await new OAuthClient(A).PasswordGrantAsync(email, TestData.StrongPassword);
        var rightOnB = await new OAuthClient(B).PasswordGrantAsync(email, TestData.StrongPassword);

        // Assert
        Assert.All(failures, e => Assert.NotNull(e));
        Assert.True(rightOnA.IsError, "A refuses the right password once the account is locked");
        Assert.True(rightOnB.IsError, "B refuses the right password once the account is locked");
        await AssertLockedAtTheLimitAsync(userId);
    }

    [Fact]
    public async Task TwelveConcurrentWrongPasswordsOverAAndB_CountOnceEach_AndLockTheAccountAtTheLimit()
    {
        // Arrange: within a process, checks of one account take turns; across instances the database reservation holds.
        var (userId, email) = await A.CreateUserAsync(TestData.TenantA);

        // Act
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            new OAuthClient(cluster.Node(i), from: Loopback.NextAddress()).PasswordGrantAsync(email, $"Wrong-Password-{i}!")));
        var rightOnB = await new OAuthClient(B, from: Loopback.NextAddress()).PasswordGrantAsync(email, TestData.StrongPassword);

        // Assert: every attempt refused without a server error; the count stopped at the limit and the account is locked.
        Assert.All(attempts, a => Assert.True(a.IsError && (int)a.HttpStatusCode is 400 or 429, $"{(int)a.HttpStatusCode} {a.Error}"));
        Assert.True(rightOnB.IsError, "the account is locked for every IP");
        await AssertLockedAtTheLimitAsync(userId);
    }

    [Fact]
    public async Task AJobLease_IsHeldByOneInstance_RenewedByIt_AndTakenByAnotherOnlyOnceItHasEnded()
    {
        // Arrange: the lease housekeeping runs under, on a job of this test's own.
        var job = $"test-{Guid.NewGuid():N}";
        Task<bool> TakeAsync(ClusterNode node) => node.WithServicesAsync(services =>
            services.GetRequiredService<JobLeases>().TryTakeAsync(job, TimeSpan.FromMinutes(1)));

        // Act
        var nodes = new[] { A, B, A, B, B, A };
        var concurrently = await Task.WhenAll(nodes.Select(TakeAsync));
        var holder = nodes[Array.IndexOf(concurrently, true)];
        var other = holder == A ? B : A;
        var renewed = await TakeAsync(holder);
        var otherBefore = await TakeAsync(other);
        other.Clock.Advance(TimeSpan.FromMinutes(2));
        var otherAfter = await TakeAsync(other);
        other.Clock.Advance(-TimeSpan.FromMinutes(2));
        var holderAfter = await TakeAsync(holder);

        // Assert: of six concurrent takers only the one instance's got it; the holder renews; the other takes it once it ended.
        Assert.All(nodes.Where((_, i) => concurrently[i]), node => Assert.Same(holder, node));
        Assert.True(renewed);
        Assert.False(otherBefore);
        Assert.True(otherAfter);
        Assert.False(holderAfter);
    }

    [Fact]
    public async Task AClientSecretRotatedOnB_StopsWorkingOnA_WithinTheClientCacheLifetime()
    {
        // Arrange: a client of this test's own (tenant B's client under another id), verified and remembered by A.
        var clientId = $"rotating-{Guid.NewGuid():N}";
        const string first = "rotating-client-first-secret-0123456789";
        const string rotated = "rotating-client-rotated-secret-0123456789";
        await WithClientAsync(TestData.TenantBClient, async (applications, client, descriptor) =>
        {
            descriptor.ClientId = clientId;
            descriptor.ClientSecret = first;
            await applications.CreateAsync(descriptor);
        });
        Assert.False((await TenantBGrantAsync(A, clientId, first)).IsError);

        // Act: rotated through B, then A asked past the bound.
        await WithClientAsync(clientId, async (applications, client, descriptor) =>
        {
            descriptor.ClientSecret = rotated;
            await applications.UpdateAsync(client, descriptor);
        });
        A.Clock.Advance(ClientCacheLifetime);
        try
        {
            var oldOnA = await TenantBGrantAsync(A, clientId, first);
            var newOnA = await TenantBGrantAsync(A, clientId, rotated);

            // Assert
            Assert.Equal(HttpStatusCode.Unauthorized, oldOnA.HttpStatusCode);
            Assert.False(newOnA.IsError, newOnA.Error);
            Assert.Equal(HttpStatusCode.Unauthorized, (await TenantBGrantAsync(B, clientId, first)).HttpStatusCode);
        }
        finally
        {
            A.Clock.Advance(-ClientCacheLifetime);
        }
    }

    [Fact]
    public async Task ATenantPolicyChangedThroughB_TakesEffectOnAAtOnce()
    {
        // Arrange: A has already evaluated tenant B's default policies (a change refused for a wrong password).
        var onA = new OAuthClient(A);
        var token = (await onA.PasswordGrantAsync("alice@acme.test", TestData.OtherStrongPassword, TestData.TenantBClient, TestData.TenantBSecret, "openid account")).AccessToken;
        Assert.Equal(HttpStatusCode.BadRequest, (await ApiCall.V1ChangeAsync(onA.Http, token, TestData.TenantB, "Not-The-Password-1", TestData.ThirdStrongPassword)).Status);
        const string frozen = "@id(\"frozen\")\nforbid (principal, action == Action::\"ChangePassword\", resource);";
        await B.QueryAsync(db => db.Tenants.Where(t => t.Id == TestData.TenantB).ExecuteUpdateAsync(set => set.SetProperty(t => t.Policies, frozen)));
        try
        {
            // Act
            var refused = await ApiCall.V1ChangeAsync(onA.Http, token, TestData.TenantB, TestData.OtherStrongPassword, TestData.ThirdStrongPassword);

            // Assert
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        }
        finally
        {
            await B.QueryAsync(db => db.Tenants.Where(t => t.Id == TestData.TenantB).ExecuteUpdateAsync(set => set.SetProperty(t => t.Policies, (string?)null)));
        }
    }

    /// <summary>Just past the 30 seconds a client's row and verified secret are remembered (CachingApplicationManager, README).</summary>
    private static readonly TimeSpan ClientCacheLifetime = TimeSpan.FromSeconds(31);

    private static Task<Duende.IdentityModel.Client.TokenResponse> TenantBGrantAsync(ClusterNode node, string clientId, string secret) =>
        new OAuthClient(node).PasswordGrantAsync("alice@acme.test", TestData.OtherStrongPassword, clientId, secret, "openid account");

    private Task WithClientAsync(string clientId, Func<IOpenIddictApplicationManager, object, OpenIddictApplicationDescriptor, Task> action) =>
        B.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            var client = await applications.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException("no client");
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, client);
            await action(applications, client, descriptor);
            return true;
        });

    /// <summary>The stored account-wide count is the fixture's limit (5), not more, and the account is locked.</summary>
    private async Task AssertLockedAtTheLimitAsync(Guid userId)
    {
        var user = await B.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Equal(5, user.AccessFailedCount);
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);
    }

    private async Task<List<MimeKit.MimeMessage>> WaitForMailAsync(IReadOnlySet<string> recipients, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<MimeKit.MimeMessage> found;
        while ((found = Received()).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        // A grace period lets a wrong duplicate arrive before the caller counts.
        await Task.Delay(1000);
        return Received();

        List<MimeKit.MimeMessage> Received() => cluster.Sink.Messages().Where(m => m.To.Mailboxes.Any(a => recipients.Contains(a.Address))).ToList();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
