using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.Notifications;
using Xunit.Abstractions;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>
/// Issue 13 items 6 and 8: the published app, as the container runs it (a non-root user, a data directory, environment
/// variables, Production, behind a TLS-terminating proxy), and listening where ASP.NET Core's usual settings say.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Database", "Sqlite")] // the published app runs on a SQLite file of its own, whatever the run's provider: once is enough
public sealed class PublishedAppTests(ITestOutputHelper log) : IClassFixture<PublishedAppTests.Cleanup>
{
    /// <summary>Removes what the class published and wrote once its tests are done.</summary>
    public sealed class Cleanup : IDisposable
    {
        public void Dispose() => PublishedApp.DeleteRoot();
    }

    private const string Issuer = "https://id.example.test/";
    private const string Email = "admin@example.com";
    private const string ClientId = "cli";
    private static readonly Guid Tenant = Guid.Parse("7b0c6f2e-3a51-4d8e-9c41-2f6a0e5d9b13");
    private const string ClientSecret = "smoke-cli-secret-0123456789";

    /// <summary>
    /// A data directory as the container's /data volume holds it: the signing key (PEM, made with .NET's crypto) and the
    /// seed of compose.yaml (deploy/identityhub.json); and the environment the Dockerfile and compose.yaml set.
    /// </summary>
    private static (string Data, Dictionary<string, string> Environment) Deployment()
    {
        var data = Directory.CreateDirectory(Path.Combine(PublishedApp.Root, "data-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Directory.CreateDirectory(Path.Combine(data, "keys"));
        var signing = Path.Combine(data, "keys", "signing.pem");
        File.WriteAllText(signing, ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(signing, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // The seed compose.yaml mounts, with its secrets from the environment as compose.yaml passes them.
        File.Copy(Path.Combine(PublishedApp.RepositoryRoot, "deploy", "identityhub.json"), Path.Combine(data, "identityhub.json"));
        return (data, new Dictionary<string, string>
        {
            ["IdentityHub__SettingsFile"] = Path.Combine(data, "identityhub.json"),
            ["IdentityHub__Database__Path"] = Path.Combine(data, "identityhub.db"),
            ["IdentityHub__Mail__PickupDirectory"] = Path.Combine(data, "mail"),
            ["IdentityHub__Keys__SigningKeyPath"] = signing,
            ["IdentityHub__Keys__EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["IdentityHub__Server__Issuer"] = Issuer,
            ["IdentityHub__Proxy__KnownProxies__0"] = "127.0.0.1",
            ["IdentityHub__Seed__Clients__0__ClientSecret"] = ClientSecret,
            ["IdentityHub__Seed__Tenants__0__Users__0__Password"] = TestData.StrongPassword,
        });
    }

    /// <summary>
    /// What the TLS-terminating proxy in front of the app sends: the public Host (passed through, as Caddy and Traefik
    /// do and nginx does with <c>proxy_set_header Host $host</c>), the client's address and the scheme.
    /// </summary>
    private static HttpClient ThroughProxy(int port, string client)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Host = new Uri(Issuer).Host;
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return http;
    }

    private static Task<HttpResponseMessage> PasswordGrantAsync(HttpClient http, string password) =>
        http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
            ["username"] = Email, ["password"] = password, ["scope"] = "openid account",
        }));

    [Fact]
    public async Task Published_AsANonRootUser_WithADataDirectoryAndEnvironment_ServesDiscoveryATokenAChangeAndAnEmail()
    {
        // Arrange: the container's shape. Production (no environment name set), ASPNETCORE_HTTP_PORTS as in the image.
        _ = PublishedApp.Folder;
        log.WriteLine($"dotnet publish --no-build: {PublishedApp.PublishTime.TotalSeconds:F1} s");
        var clock = Stopwatch.StartNew();
        var (data, environment) = Deployment();
        var port = SmtpSink.FreePort();
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
        using var app = new PublishedApp(data, port, environment);
        log.WriteLine($"started: {clock.Elapsed.TotalSeconds:F1} s");
        var http = ThroughProxy(port, "198.51.100.23");

        // Act and assert: discovery, a token, a v1 change, the email.
        var discovery = JsonDocument.Parse(await http.GetStringAsync(".well-known/openid-configuration")).RootElement;
        Assert.Equal(Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(Issuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());

        var plainHttp = await PasswordGrantAsync(new HttpClient { BaseAddress = http.BaseAddress }, TestData.StrongPassword);
        Assert.Equal(HttpStatusCode.BadRequest, plainHttp.StatusCode);

        var token = await PasswordGrantAsync(http, TestData.StrongPassword);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();

        var change = await ApiCall.V1ChangeAsync(http, accessToken, Tenant, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        Assert.Equal(HttpStatusCode.OK, (await PasswordGrantAsync(http, TestData.OtherStrongPassword)).StatusCode);

        var email = await PickupDirectoryTests.WaitForEmlAsync(Path.Combine(data, "mail"), Email);
        Assert.NotNull(email);
        Assert.Contains("198.51.100.23", email.TextBody);

        // The container's HEALTHCHECK: the app's own binary asks /healthz.
        Assert.Equal(0, PublishedApp.Run(PublishedApp.Dotnet, Path.Combine(PublishedApp.Folder, "IdentityHub.Web.dll"), "--healthcheck", $"http://127.0.0.1:{port}/healthz").ExitCode);
        if (Environment.UserName == "root")
        {
            Assert.Equal(65534, app.UserId());
        }
        log.WriteLine($"smoke test: {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Published_RestartedWithARotatedSecret_NeverAcceptsTheOldOne_EvenWhileStarting()
    {
        // An unchanged seed's secrets are checked while Kestrel already listens: requests must wait for that check.
        var (data, environment) = Deployment();
        var port = SmtpSink.FreePort();
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
        using (new PublishedApp(data, port, environment))
        {
            Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(ThroughProxy(port, "198.51.100.30"), ClientSecret)).StatusCode);
        }
        const string rotated = "rotated-smoke-secret-9876543210";
        environment["IdentityHub__Seed__Clients__0__ClientSecret"] = rotated;

        // From before the restarted process listens until after it is up, the old secret, again and again.
        using var stop = new CancellationTokenSource();
        var http = ThroughProxy(port, "198.51.100.31");
        var answers = new List<HttpStatusCode>();
        var hammer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    answers.Add((await ClientCredentialsAsync(http, ClientSecret)).StatusCode);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(1); // not listening yet
                }
            }
        });
        using var restarted = new PublishedApp(data, port, environment);
        await Task.Delay(200);
        await stop.CancelAsync();
        await hammer;

        Assert.NotEmpty(answers);
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"old secret: {status}"));
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(ThroughProxy(port, "198.51.100.32"), rotated)).StatusCode);
        Assert.Contains("The seed is unchanged", restarted.Output, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> ClientCredentialsAsync(HttpClient http, string secret) =>
        http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = ClientId, ["client_secret"] = secret, ["scope"] = "account",
        }));

    [Fact]
    public async Task Published_ListensOnAspNetCoreUrls_OnEveryInterface()
    {
        var (data, environment) = Deployment();
        var port = SmtpSink.FreePort();
        environment["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}";

        using var app = new PublishedApp(data, port, environment);

        Assert.True(await app.WaitForOutputAsync($"listening on http://0.0.0.0:{port}"), app.Output);
    }

    [Fact]
    public async Task Published_ListensOnTheUrlsArgument()
    {
        var (data, environment) = Deployment();
        var port = SmtpSink.FreePort();

        using var app = new PublishedApp(data, port, environment, "--urls", $"http://127.0.0.1:{port}");

        Assert.True(await app.WaitForOutputAsync($"listening on http://127.0.0.1:{port}"), app.Output);
    }

    [Fact]
    public void HealthCheckCommand_WithNothingListening_ExitsOne()
    {
        var (exitCode, output) = PublishedApp.Run(PublishedApp.Dotnet, Path.Combine(PublishedApp.Folder, "IdentityHub.Web.dll"),
            "--healthcheck", $"http://127.0.0.1:{SmtpSink.FreePort()}/healthz");

        Assert.Equal(1, exitCode);
        Assert.Contains("healthcheck:", output);
    }

    [Fact]
    public void MigrateCommand_InThePublishedApp_InProduction_WithOnlyAConnectionString_MigratesPostgreSQL_AndExitsZero()
    {
        // A migration job has the database settings only: no token keys, no issuer (the host itself would refuse both).
        var connectionString = PostgresServer.Shared.EmptyDatabase();

        var (exitCode, output) = PublishedApp.Run("env", "-u", "ASPNETCORE_ENVIRONMENT", "-u", "DOTNET_ENVIRONMENT",
            "IdentityHub__Database__Provider=PostgreSQL", $"IdentityHub__Database__ConnectionString={connectionString}",
            PublishedApp.Dotnet, Path.Combine(PublishedApp.Folder, "IdentityHub.Web.dll"), "migrate");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"applied \d+_Initial", output);
    }

    [Fact]
    public void DotnetRun_ServesLocalhost5080_ThroughLaunchSettings_AndAppSettingsPinNoAddress()
    {
        // dotnet run reads launchSettings.json; appsettings.json (published) must not set Urls, which would override
        // ASPNETCORE_URLS and ASPNETCORE_HTTP_PORTS and leave a container listening on loopback only.
        var launch = JsonDocument.Parse(File.ReadAllText(Path.Combine(PublishedApp.RepositoryRoot, "src", "IdentityHub.Web", "Properties", "launchSettings.json")));
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(PublishedApp.Folder, "appsettings.json")));

        Assert.Equal("http://localhost:5080", launch.RootElement.GetProperty("profiles").GetProperty("IdentityHub.Web").GetProperty("applicationUrl").GetString());
        Assert.False(settings.RootElement.TryGetProperty("Urls", out _));
    }
}
