using IdentityHub.Audit;
using IdentityHub.Housekeeping;
using IdentityHub.Notifications;
using IdentityHub.Sessions;
using IdentityHub.SharedSignals;
using IdentityHub.StepUp;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Tests.Housekeeping;

/// <summary>The host with small delete batches, so a pass needs several.</summary>
public sealed class HousekeepingApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) => settings["Housekeeping"] = new { BatchSize = 10 };
}

/// <summary>
/// The housekeeping pass with the default retentions (tokens 14 days, ended sessions 7, sent email 30, audit 365) on
/// a clock moved one day on: exactly the rows past their retention go, and nothing that may still be used.
/// </summary>
public sealed class HousekeepingTests(HousekeepingApplication app) : IClassFixture<HousekeepingApplication>
{
    [Fact]
    public async Task OnePass_DeletesExactlyTheRowsPastTheirRetention()
    {
        // Arrange: old and recent rows of every kind, dated from "now"; then a day passes.
        var now = app.Clock.GetUtcNow();
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = new Dictionary<string, string>
        {
            ["old redeemed"] = await TokenAsync(now.AddDays(-30), Statuses.Redeemed, now.AddDays(-20)),
            ["old expired"] = await TokenAsync(now.AddDays(-30), Statuses.Valid, now.AddDays(-20)),
            ["recent redeemed"] = await TokenAsync(now.AddDays(-1), Statuses.Redeemed, now.AddDays(13)),
            ["old but valid"] = await TokenAsync(now.AddDays(-30), Statuses.Valid, now.AddDays(30)),
        };
        var authorizations = new Dictionary<string, string>
        {
            ["old revoked"] = await AuthorizationAsync(now.AddDays(-30), Statuses.Revoked),
            ["recent revoked"] = await AuthorizationAsync(now.AddDays(-1), Statuses.Revoked),
            ["old but valid"] = await AuthorizationAsync(now.AddDays(-30), Statuses.Valid),
        };
        var sessions = Sessions(userId, now);
        var outbox = Outbox(email, now);
        var stepUps = new Dictionary<string, ConsumedStepUpToken>
        {
            ["expiring in an hour"] = StepUp(userId, now, expires: now.AddHours(1)),
            ["expiring in two days"] = StepUp(userId, now, expires: now.AddDays(2)),
        };
        var audit = new Dictionary<string, AuditEvent>
        {
            ["400 days old"] = Audit(userId, now.AddDays(-400)),
            ["300 days old"] = Audit(userId, now.AddDays(-300)),
        };
        await app.QueryAsync(async db =>
        {
            db.Sessions.AddRange(sessions.Values);
            db.Outbox.AddRange(outbox.Values);
            db.ConsumedStepUpTokens.AddRange(stepUps.Values);
            db.AuditEvents.AddRange(audit.Values);
            // More old events than one batch deletes (10 here): the pass goes on until none is left.
            db.AuditEvents.AddRange(Enumerable.Range(0, 24).Select(_ => Audit(userId, now.AddDays(-500))));
            return await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromDays(1));

        // Act
        var report = await app.WithServicesAsync(services => services.GetRequiredService<HousekeepingService>().RunOnceAsync());

        // Assert: what is left of each kind, by name.
        Assert.Equal(["recent redeemed", "old but valid"], await LeftAsync(tokens, (m, id) => m.GetRequiredService<IOpenIddictTokenManager>().FindByIdAsync(id).AsTask()));
        Assert.Equal(["recent revoked", "old but valid"], await LeftAsync(authorizations, (m, id) => m.GetRequiredService<IOpenIddictAuthorizationManager>().FindByIdAsync(id).AsTask()));
        var sessionIds = await app.QueryAsync(db => db.Sessions.Where(s => s.UserId == userId).Select(s => s.Id).ToListAsync());
        Assert.Equal(["revoked 2 days ago", "past its absolute lifetime 4 days ago", "active"], Names(sessions, s => sessionIds.Contains(s.Id)));
        var messageIds = await app.QueryAsync(db => db.Outbox.Where(m => m.ToAddress == email).Select(m => m.Id).ToListAsync());
        Assert.Equal(["sent 10 days ago", "pending for 100 days", "failed 100 days ago", "SET unpolled for 10 days"], Names(outbox, m => messageIds.Contains(m.Id)));
        var stepUpIds = await app.QueryAsync(db => db.ConsumedStepUpTokens.Where(c => c.UserId == userId).Select(c => c.TokenId).ToListAsync());
        Assert.Equal(["expiring in two days"], Names(stepUps, c => stepUpIds.Contains(c.TokenId)));
        var auditIds = await app.QueryAsync(db => db.AuditEvents.Where(a => a.UserId == userId).Select(a => a.Id).ToListAsync());
        Assert.Equal(["300 days old"], Names(audit, a => auditIds.Contains(a.Id)));
        Assert.Single(auditIds);
        Assert.Equal(new HousekeepingReport(2, 1, 3, 2, 1, 25), report);
    }

    [Fact]
    public async Task TheJob_IsRegistered_AndWaitsAnIntervalBeforeItsFirstPass()
    {
        // The fixture's sessions and tokens are untouched by a host that has just started: no pass has run yet.
        Assert.Contains(app.Services.GetServices<IHostedService>(), service => service is HousekeepingWorker);
        _ = app.Address;
        await Task.Delay(200);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("Housekeeping deleted", StringComparison.Ordinal));
    }

    private static Dictionary<string, HubSession> Sessions(Guid userId, DateTimeOffset now) => new()
    {
        ["revoked 10 days ago"] = Session(userId, created: now.AddDays(-12), used: now.AddDays(-11), revoked: now.AddDays(-10)),
        ["past its absolute lifetime 10 days ago"] = Session(userId, created: now.AddDays(-40), used: now.AddHours(-1)),
        ["idle since 22 days"] = Session(userId, created: now.AddDays(-25), used: now.AddDays(-22)),
        ["revoked 2 days ago"] = Session(userId, created: now.AddDays(-3), used: now.AddDays(-3), revoked: now.AddDays(-2)),
        ["past its absolute lifetime 4 days ago"] = Session(userId, created: now.AddDays(-35), used: now.AddHours(-1)),
        ["active"] = Session(userId, created: now.AddDays(-1), used: now),
    };

    private static Dictionary<string, OutboxMessage> Outbox(string email, DateTimeOffset now) => new()
    {
        ["sent 40 days ago"] = Message(email, OutboxStatus.Sent, created: now.AddDays(-40), sent: now.AddDays(-40)),
        ["sent 10 days ago"] = Message(email, OutboxStatus.Sent, created: now.AddDays(-10), sent: now.AddDays(-10)),
        ["pending for 100 days"] = Message(email, OutboxStatus.Pending, created: now.AddDays(-100), sent: null),
        ["failed 100 days ago"] = Message(email, OutboxStatus.Failed, created: now.AddDays(-100), sent: null),
        ["SET unpolled for 40 days"] = Message(email, OutboxStatus.Pending, created: now.AddDays(-40), sent: null, SecurityEventTokens.PollKind),
        ["SET unpolled for 10 days"] = Message(email, OutboxStatus.Pending, created: now.AddDays(-10), sent: null, SecurityEventTokens.PollKind),
    };

    private Task<string> TokenAsync(DateTimeOffset created, string status, DateTimeOffset expires) =>
        app.WithServicesAsync(async services =>
        {
            var manager = services.GetRequiredService<IOpenIddictTokenManager>();
            var token = await manager.CreateAsync(new OpenIddictTokenDescriptor
            {
                CreationDate = created, ExpirationDate = expires, Status = status, Type = TokenTypeHints.RefreshToken, Subject = Guid.NewGuid().ToString(),
            });
            return (await manager.GetIdAsync(token))!;
        });

    private Task<string> AuthorizationAsync(DateTimeOffset created, string status) =>
        app.WithServicesAsync(async services =>
        {
            var manager = services.GetRequiredService<IOpenIddictAuthorizationManager>();
            var authorization = await manager.CreateAsync(new OpenIddictAuthorizationDescriptor
            {
                CreationDate = created, Status = status, Type = AuthorizationTypes.Permanent, Subject = Guid.NewGuid().ToString(),
            });
            return (await manager.GetIdAsync(authorization))!;
        });

    private async Task<List<string>> LeftAsync(Dictionary<string, string> ids, Func<IServiceProvider, string, Task<object?>> find)
    {
        var left = new List<string>();
        foreach (var (name, id) in ids)
        {
            if (await app.WithServicesAsync(services => find(services, id)) is not null)
            {
                left.Add(name);
            }
        }
        return left;
    }

    private static List<string> Names<T>(Dictionary<string, T> rows, Func<T, bool> left) => [.. rows.Where(row => left(row.Value)).Select(row => row.Key)];

    private static HubSession Session(Guid userId, DateTimeOffset created, DateTimeOffset used, DateTimeOffset? revoked = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"), UserId = userId, TenantId = TestData.TenantA, AuthenticatedAt = created.UtcDateTime,
        CreatedAt = created.UtcDateTime, LastUsedAt = used.UtcDateTime, RevokedAt = revoked?.UtcDateTime, SecurityStamp = "stamp",
    };

    private static OutboxMessage Message(string email, OutboxStatus status, DateTimeOffset created, DateTimeOffset? sent, string kind = "password_changed") => new()
    {
        Id = Guid.NewGuid(), Kind = kind, ToAddress = email, Subject = "s", HtmlBody = "h", TextBody = "t", Status = status,
        // Never due during the test, so the outbox sender leaves the pending one alone.
        CreatedAt = created.UtcDateTime, SentAt = sent?.UtcDateTime, NextAttemptAt = DateTime.UtcNow.AddYears(1),
    };

    private static ConsumedStepUpToken StepUp(Guid userId, DateTimeOffset consumed, DateTimeOffset expires) => new()
    {
        TokenId = Guid.NewGuid().ToString("N"), UserId = userId, ConsumedAt = consumed.UtcDateTime, ExpiresAt = expires.UtcDateTime,
    };

    private static AuditEvent Audit(Guid userId, DateTimeOffset occurred) => new()
    {
        Type = AuditEventTypes.SignIn, TenantId = TestData.TenantA, UserId = userId, OccurredAt = occurred.UtcDateTime,
    };
}
