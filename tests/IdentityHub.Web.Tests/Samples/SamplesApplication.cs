using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace IdentityHub.Web.Tests.Samples;

/// <summary>
/// The three samples against the real host, unchanged: the web app and the API run as their own processes (their
/// built dlls, settings on the command line, as their READMEs say), the SPA's folder is served as static files from
/// a third origin with its <c>config.json</c> pointing here. The hub seeds their clients, the API's scope and audience.
/// </summary>
public sealed class SamplesApplication : BrowserApplication
{
    public const string WebClient = "webapp";
    public const string WebSecret = "webapp-secret-0123456789";
    public const string SpaClientId = "spa";
    public const string ApiScope = "samples.api";
    public const string ApiAudience = "https://api.sample.test/";

    private readonly List<Process> processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> log = new();
    private WebApplication? spaHost;

    public Uri WebApp { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public Uri Api { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public Uri Spa { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var authority = Address.ToString();
        Start("Api", Api, $"--IdentityHub:Authority={authority}", $"--IdentityHub:Audience={ApiAudience}", $"--IdentityHub:Scope={ApiScope}",
            "--IdentityHub:RequireHttpsMetadata=false");
        Start("WebApp", WebApp, $"--IdentityHub:Authority={authority}", $"--IdentityHub:ClientId={WebClient}", $"--IdentityHub:ClientSecret={WebSecret}",
            $"--IdentityHub:ApiUrl={Api}", $"--IdentityHub:ApiScope={ApiScope}", "--IdentityHub:RequireHttpsMetadata=false");
        await StartSpaHostAsync(authority);
        await WaitUntilAnsweringAsync(Api);
        await WaitUntilAnsweringAsync(WebApp);
    }

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        settings["Server"] = new { AllowInsecureHttp = true, ScopeResources = new Dictionary<string, string[]> { [ApiScope] = [ApiAudience] } };
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!;
        seed["Scopes"] = new JsonArray(ApiScope);
        var clients = seed["Clients"]!.AsArray();
        clients.Add(JsonSerializer.SerializeToNode(new
        {
            ClientId = WebClient, ClientSecret = WebSecret, TenantId = TestData.TenantA, RequirePkce = true,
            GrantTypes = new[] { "authorization_code", "refresh_token" },
            RedirectUris = new[] { WebApp + "signin-oidc" }, PostLogoutRedirectUris = new[] { WebApp + "signout-callback-oidc" },
            Scopes = new[] { "openid", "profile", "offline_access", ApiScope },
            BackchannelLogoutUri = WebApp + "backchannel-logout", BackchannelLogoutSessionRequired = true,
        }));
        clients.Add(JsonSerializer.SerializeToNode(new
        {
            ClientId = SpaClientId, TenantId = TestData.TenantA, GrantTypes = new[] { "authorization_code" },
            RedirectUris = new[] { Spa.ToString() }, PostLogoutRedirectUris = new[] { Spa.ToString() },
            Scopes = new[] { "openid", "profile", "account" },
            AllowedOrigins = new[] { Spa.GetLeftPart(UriPartial.Authority) },
        }));
        settings["Seed"] = seed;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
        // The factory's DisposeAsync calls Dispose(bool) again: a second call finds nothing left to stop.
        processes.Clear();
        var host = spaHost;
        spaHost = null;
        host?.StopAsync().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    /// <summary>The repository root (holds IdentityHub.sln), found upwards from the test binaries.</summary>
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IdentityHub.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("IdentityHub.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A sample's built dll, in the configuration the tests were built in (bin/Release/net10.0).</summary>
    private void Start(string sample, Uri address, params string[] settings)
    {
        var output = Path.GetRelativePath(Path.Combine(RepositoryRoot(), "tests", "IdentityHub.Web.Tests"), AppContext.BaseDirectory);
        var directory = Path.Combine(RepositoryRoot(), "samples", sample, output);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(directory, sample + ".dll"), "--urls", address.ToString().TrimEnd('/'), .. settings])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{sample} did not start.");
        process.OutputDataReceived += (_, line) => log.Enqueue($"{sample}: {line.Data}");
        process.ErrorDataReceived += (_, line) => log.Enqueue($"{sample}: {line.Data}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
    }

    /// <summary>samples/Spa as it is (node_modules from <c>npm ci</c>), with its config.json naming this hub.</summary>
    private async Task StartSpaHostAsync(string authority)
    {
        var folder = Path.Combine(RepositoryRoot(), "samples", "Spa");
        if (!File.Exists(Path.Combine(folder, "node_modules", "oidc-client-ts", "dist", "browser", "oidc-client-ts.min.js")))
        {
            throw new InvalidOperationException("The samples test needs oidc-client-ts: run `npm ci` in samples/Spa (./test.sh does).");
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Spa.ToString().TrimEnd('/'));
        spaHost = builder.Build();
        spaHost.Map("/config.json", config => config.Run(context =>
            context.Response.WriteAsJsonAsync(new { authority, client_id = SpaClientId, scope = "openid profile account" })));
        spaHost.UseDefaultFiles(new DefaultFilesOptions { FileProvider = new PhysicalFileProvider(folder) });
        spaHost.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder) });
        await spaHost.StartAsync();
    }

    private async Task WaitUntilAnsweringAsync(Uri address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                await http.GetAsync(address);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"{address} did not answer within 30 seconds:\n{string.Join('\n', log)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
