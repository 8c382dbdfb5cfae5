using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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
}
