using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>The test host with a small account API rate limit, so that one caller reaches it.</summary>
public sealed class MetricsApplication : HubApplication
{
    public const int PermitLimit = 10;

    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["RateLimiting"] = new { PermitLimit, Window = "00:01:00" };
}

/// <summary>
/// Observability, item 10: IdentityHub's own meter, observed in the test process while real requests go through the
/// real host. Each test records only its own host's meter, and only while it runs.
/// </summary>
public sealed class MetricsTests(MetricsApplication app) : IClassFixture<MetricsApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task V1Changes_AreCounted_ByDialectAndResult()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        using var metrics = new MeterRecorder(app);

        var wrong = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, "Not-The-Current-1!", TestData.OtherStrongPassword);
        var changed = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);
        Assert.Equal(1, metrics.Sum("identityhub.password_changes", ("dialect", "v1"), ("result", "invalid_current_password")));
        Assert.Equal(1, metrics.Sum("identityhub.password_changes", ("dialect", "v1"), ("result", "success")));
        Assert.Equal(2, metrics.Sum("identityhub.password_changes"));
        // Without an OTLP endpoint, OpenTelemetry is not even registered: nothing is sent anywhere.
        Assert.Null(app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task StepUpToken_IsCountedWhenIssued_AndWhenAChangeConsumesIt()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        using var metrics = new MeterRecorder(app);

        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        Assert.Equal(1, metrics.Sum("identityhub.step_up_tokens.issued"));
        Assert.Equal(0, metrics.Sum("identityhub.step_up_tokens.consumed"));

        var changed = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        var replayed = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, "Yet-Another-Strong-Pass-9!");

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.NotEqual(HttpStatusCode.OK, replayed.Status);
        Assert.Equal(1, metrics.Sum("identityhub.step_up_tokens.consumed"));
        Assert.Equal(1, metrics.Sum("identityhub.password_changes", ("dialect", "step-up"), ("result", "success")));
    }

    [Fact]
    public async Task Lockout_AndTheAccountApiRateLimit_AreCounted()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        using var metrics = new MeterRecorder(app);

        // The fixture locks at 5 failures; the sixth attempt is answered as locked without a check.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < MetricsApplication.PermitLimit + 1; i++)
        {
            statuses.Add((await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, $"Wrong-Guess-{i}!", TestData.OtherStrongPassword)).Status);
        }

        Assert.Equal(1, metrics.Sum("identityhub.lockouts"));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(1, metrics.Sum("identityhub.throttled", ("where", "account-api")));
        // The rate-limited request never reached the core; the locked ones did, and were answered as locked.
        Assert.Equal(MetricsApplication.PermitLimit, metrics.Sum("identityhub.password_changes", ("dialect", "v1")));
        Assert.InRange(metrics.Sum("identityhub.password_changes", ("result", "too_many_attempts")), 5, 6);
    }
}
