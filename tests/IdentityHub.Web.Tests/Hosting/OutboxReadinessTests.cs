using System.Net;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>A host whose SMTP server is down: a port on 127.0.0.1 that nothing listens on, with fast retries.</summary>
public sealed class UnreachableMailApplication : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Mail"] = new
        {
            Smtp = new { Host = "127.0.0.1", Port = Loopback.FreePort(), Security = "None" },
            RetryBaseDelay = "00:00:00.200",
            RetryMaxDelay = "00:00:01",
            PollInterval = "00:00:00.200",
            MaxAttempts = 100,
        };
    }
}

/// <summary>Observability, item 10: <c>/readyz</c> reports degraded, still 200, while the outbox cannot deliver.</summary>
public sealed class OutboxReadinessTests(UnreachableMailApplication app) : IClassFixture<UnreachableMailApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task Readyz_IsDegradedButServing_WhileTheOutboxCannotDeliver()
    {
        using var metrics = new MeterRecorder(app);
        var before = await oauth.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("Healthy", await before.Content.ReadAsStringAsync());

        // Sign-in and the change itself still work; only the email waits in the outbox.
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var changed = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpResponseMessage ready;
        while ((ready = await oauth.Http.GetAsync("/readyz")) is var r && await r.Content.ReadAsStringAsync() != "Degraded" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        Assert.InRange(metrics.Sum("identityhub.outbox.delivery_failures", ("final", "False")), 1, 100);
        Assert.Equal(0, metrics.Sum("identityhub.outbox.delivery_failures", ("final", "True")));
        Assert.Equal(1, metrics.Observe("identityhub.outbox.depth"));
    }
}
