using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using IdentityHub.BackchannelLogout;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Cluster;

[SupportedOSPlatform("linux")]
public sealed partial class ClusterTests
{
    private const int CrashLeaseSeconds = 4;

    [Fact]
    public async Task AnInstanceKilledDuringDelivery_LosesNoEmail_AnotherSendsItsClaimedMessagesOnceTheLeaseEnds()
    {
        // Arrange: a third instance C in its own process, whose mail server accepts and then never answers, so that C
        // is stuck in the middle of a delivery, holding the lease on what it claimed.
        using var blackHole = new BlackHoleSmtp();
        using var c = new ChildNode(A, settings =>
        {
            var mail = settings["Mail"]!.AsObject();
            mail["Smtp"]!.AsObject()["Port"] = blackHole.Port;
            mail["Smtp"]!.AsObject()["Timeout"] = "00:00:03";
            mail["LeaseDuration"] = $"00:00:0{CrashLeaseSeconds}";
        });
        var users = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => A.CreateUserAsync(TestData.TenantA)));
        var tokens = await Task.WhenAll(users.Select(u => new OAuthClient(A).AccessTokenAsync(u.Email)));

        // Act: ten changes through C (C wakes its own sender at each), then C is killed mid-delivery; forty more through A and B.
        var statuses = new List<HttpStatusCode>();
        using (var toC = ClusterNode.ClientOf(c.Port))
        {
            for (var i = 0; i < 10; i++)
            {
                statuses.Add((await ApiCall.V1ChangeAsync(toC, tokens[i], TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)).Status);
            }
        }
        await blackHole.Connected.WaitAsync(TimeSpan.FromSeconds(10));
        var owner = $":{c.ProcessId}:";
        var heldByC = await A.QueryAsync(db => db.Outbox.Where(m => m.LeaseOwner != null && m.LeaseOwner.Contains(owner))
            .ToDictionaryAsync(m => m.Id, m => m.LeaseExpiresAt!.Value));
        c.KillHard();
        statuses.AddRange(await Task.WhenAll(users.Skip(10).Select(async (user, i) =>
            (await ApiCall.V1ChangeAsync(cluster.Node(i).CreateBrowserlessClient(), tokens[10 + i], TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)).Status)));

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
        Assert.NotEmpty(heldByC);
        var recipients = users.Select(u => u.Email).ToHashSet();
        var mail = await WaitForMailAsync(recipients, 50);
        Assert.Equal(recipients.Order(), mail.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.Equal(50, mail.Select(m => m.MessageId).Distinct().Count());
        var rows = await A.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => recipients.Contains(m.ToAddress)).ToListAsync());
        Assert.All(rows, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        // What C held was sent by A or B, and only after C's lease had ended.
        Assert.All(rows.Where(m => heldByC.ContainsKey(m.Id)), m => Assert.True(m.SentAt >= heldByC[m.Id], $"sent at {m.SentAt:O}, C's lease ended {heldByC[m.Id]:O}"));
    }

    [Fact]
    public async Task AnInstanceKilledWhileDeliveringLogoutTokens_LosesNone_AnotherDeliversThemOnceTheLeaseEnds()
    {
        // Arrange: users signed in to a relying party whose back-channel endpoint holds every request unanswered, and
        // a third instance C in its own process, so that whatever C delivers is still in flight when C is killed.
        const int leaseSeconds = 10;
        using var c = new ChildNode(A, settings =>
        {
            var mail = settings["Mail"]!.AsObject();
            mail["Smtp"]!.AsObject()["Timeout"] = "00:00:03";
            mail["LeaseDuration"] = $"00:00:{leaseSeconds}";
        });
        var users = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => A.CreateUserAsync(TestData.TenantA)));
        var tokens = await Task.WhenAll(users.Select(async u => (await new OAuthClient(A).PasswordGrantAsync(
            u.Email, TestData.StrongPassword, ClusterFixture.HeldLogoutClient, ClusterFixture.HeldLogoutSecret, "openid account")).AccessToken));
        var subjects = users.Select(u => u.Id.ToString()).ToList();

        // Act: the changes go through C, which wakes its own sender at each commit; as soon as C has a token in flight
        // (leased by C and arrived at the relying party, unanswered), C is killed, and the relying party starts answering.
        using (var toC = ClusterNode.ClientOf(c.Port))
        {
            foreach (var token in tokens)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await ApiCall.V1ChangeAsync(toC, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)).Status);
            }
        }
        var heldByC = await InFlightAtAsync(c.ProcessId);
        c.KillHard();
        cluster.Logouts.Release();

        // Assert: every token delivered and acknowledged; what C held, by A or B after C's lease ended, with the same jti.
        var rows = await WaitForLogoutRowsAsync(subjects, rows => rows.Count == users.Length && rows.All(m => m.Status == OutboxStatus.Sent));
        Assert.All(rows, m => Assert.Equal(200, m.ResponseStatus));
        Assert.All(rows.Where(m => heldByC.ContainsKey(m.Id)), m => Assert.True(m.SentAt >= heldByC[m.Id], $"sent at {m.SentAt:O}, C's lease ended {heldByC[m.Id]:O}"));
        var jtis = cluster.Logouts.Received.Select(r => new JsonWebToken(r.LogoutToken!).Id).ToHashSet();
        Assert.All(rows, m => Assert.Contains(m.Id.ToString("N"), jtis));
    }

    /// <summary>The logout tokens the instance of <paramref name="processId"/> is delivering now (leased, and arrived at the relying party), with the end of their lease.</summary>
    private async Task<Dictionary<Guid, DateTime>> InFlightAtAsync(int processId)
    {
        var owner = $":{processId}:";
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var leased = await A.QueryAsync(db => db.Outbox.Where(m => m.Kind == LogoutTokens.Kind && m.LeaseOwner != null && m.LeaseOwner.Contains(owner))
                .ToDictionaryAsync(m => m.Id, m => m.LeaseExpiresAt!.Value));
            var arrived = cluster.Logouts.Received.Select(r => new JsonWebToken(r.LogoutToken!).Id).ToHashSet(StringComparer.Ordinal);
            var inFlight = leased.Where(l => arrived.Contains(l.Key.ToString("N"))).ToDictionary();
            if (inFlight.Count > 0)
            {
                return inFlight;
            }
            Assert.True(DateTime.UtcNow < until, "The child instance never had a logout token in flight.");
            await Task.Delay(20);
        }
    }

    private async Task<List<OutboxMessage>> WaitForLogoutRowsAsync(List<string> subjects, Func<List<OutboxMessage>, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = (await A.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => m.Kind == LogoutTokens.Kind).ToListAsync()))
                .Where(m => subjects.Any(s => m.TokenClaims!.Contains(s, StringComparison.Ordinal))).ToList();
            if (condition(rows))
            {
                return rows;
            }
            Assert.True(DateTime.UtcNow < until, $"The logout tokens were not all delivered: {string.Join(", ", rows.Select(m => $"{m.Status} {m.Attempts} {m.LastError}"))}.");
            await Task.Delay(100);
        }
    }
}
