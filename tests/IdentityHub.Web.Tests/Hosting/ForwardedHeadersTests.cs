using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.Notifications;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>
/// The host behind a reverse proxy at 127.0.0.1 (the test client's own address) and nowhere else; a low per-IP
/// throttle, lockout lifted, so that the throttle is what answers.
/// </summary>
public sealed class BehindProxyApplication : HubApplication
{
    public const int PerIp = 3;

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Proxy"] = new { KnownProxies = new[] { "127.0.0.1" } };
        settings["Throttling"] = new { FailuresPerIpPerMinute = PerIp, FailuresPerAccountPerMinute = 1000 };
        settings["Lockout"] = new { MaxFailedAccessAttempts = 1000, MaxFailedAccessAttemptsPerIp = 1000 };
    }
}

/// <summary>
/// Issue 13 item 7: forwarded headers are believed from the configured proxies only. Through a known proxy the audit
/// row, the email and the throttle see the client's address and the issuer is https; from anyone else, and by default,
/// the same headers change nothing. The host is never taken from a header.
/// </summary>
public sealed class ForwardedHeadersTests(BehindProxyApplication proxied, HubApplication direct)
    : IClassFixture<BehindProxyApplication>, IClassFixture<HubApplication>
{
    /// <summary>A client sending what a TLS-terminating proxy adds, from <paramref name="from"/> (127.0.0.1 by default).</summary>
    private static HttpClient Forwarding(HubApplication app, string clientAddress, IPAddress? from = null)
    {
        var http = app.CreateBrowserlessClient(from: from);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        return http;
    }

    private static async Task<TokenResponse> PasswordGrantAsync(HubApplication app, HttpClient http, string email, string password) =>
        await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = new Uri(app.Address, "connect/token").ToString(),
            ClientId = TestData.CliClient,
            ClientSecret = TestData.CliSecret,
            UserName = email,
            Password = password,
            Scope = "openid account",
        });

    private static async Task<string> IssuerAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement.GetProperty("issuer").GetString()!;

    /// <summary>A sign-in and a v1 change through <paramref name="http"/>; returns the IP addresses of their audit rows, and the email.</summary>
    private static async Task<(List<string?> Audit, string Email)> ChangeAsync(HubApplication app, HttpClient http)
    {
        var (id, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await PasswordGrantAsync(app, http, email, TestData.StrongPassword);
        Assert.False(token.IsError, token.Raw);

        var change = await ApiCall.V1ChangeAsync(http, token.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        var audit = await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == id).OrderBy(e => e.Id).Select(e => e.IpAddress).ToListAsync());
        var message = await PickupDirectoryTests.WaitForEmlAsync(Path.Combine(app.Directory, "mail"), email);
        return (audit, Assert.IsType<string>(message?.TextBody));
    }

    [Fact]
    public async Task ThroughAKnownProxy_TheAuditRowAndTheEmail_HaveTheClientsAddress()
    {
        var (audit, email) = await ChangeAsync(proxied, Forwarding(proxied, "203.0.113.7"));

        Assert.Equal(["203.0.113.7", "203.0.113.7"], audit);
        Assert.Contains("203.0.113.7", email);
    }

    [Fact]
    public async Task ThroughAKnownProxy_TheIssuerIsHttps_AndTheHostIsNeverForwarded()
    {
        var issuer = await IssuerAsync(Forwarding(proxied, "203.0.113.8"));

        Assert.Equal($"https://127.0.0.1:{proxied.Address.Port}/", issuer);
    }

    [Fact]
    public async Task ThroughAKnownProxy_TheThrottleCountsEachClient_NotTheProxy()
    {
        var attacker = Forwarding(proxied, "203.0.113.9");
        var bystander = Forwarding(proxied, "203.0.113.10");
        for (var i = 0; i < BehindProxyApplication.PerIp; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await PasswordGrantAsync(proxied, attacker, $"nobody{i}@acme.test", $"Wrong-Guess-{i}!")).HttpStatusCode);
        }

        var throttled = await PasswordGrantAsync(proxied, attacker, "nobody-more@acme.test", "Wrong-Guess-x!");
        var other = await PasswordGrantAsync(proxied, bystander, "nobody-else@acme.test", "Wrong-Guess-y!");

        Assert.Equal((HttpStatusCode)429, throttled.HttpStatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.HttpStatusCode);
        Assert.Equal("invalid_grant", other.Error);
    }

    [Fact]
    public async Task FromAnotherAddress_TheForwardedHeadersAreIgnored_EvenOnLoopback()
    {
        // ASP.NET Core's own default trusts all of loopback; ours trusts only what is configured.
        var stranger = Forwarding(proxied, "203.0.113.11", from: Loopback.NextAddress());

        Assert.Equal($"http://127.0.0.1:{proxied.Address.Port}/", await IssuerAsync(stranger));
    }

    [Fact]
    public async Task WithoutAConfiguredProxy_TheForwardedHeadersAreIgnored()
    {
        var http = Forwarding(direct, "203.0.113.12");

        var (audit, email) = await ChangeAsync(direct, http);

        Assert.Equal(["127.0.0.1", "127.0.0.1"], audit);
        Assert.DoesNotContain("203.0.113.12", email);
        Assert.Equal($"http://127.0.0.1:{direct.Address.Port}/", await IssuerAsync(http));
    }

    [Theory]
    [InlineData("KnownProxies", "10.0.0.300", "IdentityHub:Proxy:KnownProxies:0")]
    [InlineData("KnownNetworks", "10.0.0.0/33", "IdentityHub:Proxy:KnownNetworks:0")]
    public void AnUnparsableProxy_StopsTheHostAtStart_NamingTheKey(string key, string value, string expected)
    {
        using var host = new BadSettingHost(settings => settings["Proxy"] = new Dictionary<string, object?> { [key] = new[] { value } });

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains(expected, error.ToString());
    }
}
