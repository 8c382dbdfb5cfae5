using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// The default fixture plus administrator clients: a global one, one bound to tenant A, and a client allowed the admin
/// scope that is not an administrator. Runs the command line as an operator would, against this host's database.
/// </summary>
public sealed class AdminApplication : HubApplication
{
    /// <summary>The admin tests share one host (their ids are their own): one start instead of three.</summary>
    public const string Collection = "Administration";

    public const string GlobalAdmin = "test-admin";
    public const string TenantAdmin = "test-admin-acme";
    public const string NotAdmin = "test-not-admin";
    public const string Secret = "test-admin-secret-0123456789";

    /// <summary>A resource server: the <c>orders</c> scope puts it in a token's audience, so it may introspect the token.</summary>
    public const string OrdersApi = "urn:test:orders";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!.AsObject();
        var clients = seed["Clients"]!.AsArray();
        foreach (var (id, tenant, admin) in new[] { (GlobalAdmin, (Guid?)null, true), (TenantAdmin, TestData.TenantA, true), (NotAdmin, null, false) })
        {
            clients.Add(JsonSerializer.SerializeToNode(new
            {
                ClientId = id, ClientSecret = Secret, TenantId = tenant, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = admin,
            }));
        }
        clients.Add(JsonSerializer.SerializeToNode(new { ClientId = OrdersApi, ClientSecret = Secret }));
        seed["Scopes"] = JsonSerializer.SerializeToNode(new[] { "orders" });
        settings["Seed"] = seed;
        settings["Server"] = new { AllowInsecureHttp = true, ScopeResources = new Dictionary<string, string[]> { ["orders"] = [OrdersApi] } };
    }

    /// <summary>A client-credentials token (admin scope by default) that must be issued.</summary>
    public async Task<string> ClientTokenAsync(OAuthClient oauth, string clientId, string secret = Secret, string scope = "admin")
    {
        var token = await ClientCredentialsAsync(oauth, clientId, secret, scope);
        Assert.False(token.IsError, $"{clientId}: {token.Error}: {token.ErrorDescription}");
        return token.AccessToken!;
    }

    public static async Task<TokenResponse> ClientCredentialsAsync(OAuthClient oauth, string clientId, string secret, string scope = "admin") =>
        await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = (await oauth.DiscoverAsync()).TokenEndpoint, ClientId = clientId, ClientSecret = secret, Scope = scope,
        });

    /// <summary>
    /// Runs <c>dotnet IdentityHub.Web.dll &lt;args&gt;</c> (the build next to the tests) in Development on this host's
    /// settings file, so on its database and keys: exit code, standard output, standard error.
    /// </summary>
    public async Task<(int ExitCode, string Output, string Error)> RunCliAsync(params string[] args)
    {
        _ = Address;   // the host has migrated and seeded the database
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IdentityHub.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add($"--IdentityHub:SettingsFile={Path.Combine(Directory, "fixture.json")}");
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) || k.StartsWith("IdentityHub", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    /// <summary>The admin API call with a bearer token and an optional JSON body.</summary>
    public static Task<ApiResponse> AdminAsync(OAuthClient oauth, HttpMethod method, string path, string? token, object? body = null) =>
        ApiCall.SendAsync(oauth.Http, method, path, token, body is null ? null : body as string ?? JsonSerializer.Serialize(body));

    /// <summary>The audit rows of a type, newest first.</summary>
    public Task<List<IdentityHub.Audit.AuditEvent>> AuditAsync(string type) =>
        QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditEvents.Where(e => e.Type == type).OrderByDescending(e => e.Id)));

    public static void AssertStatus(HttpStatusCode expected, ApiResponse response) =>
        Assert.True(expected == response.Status, $"expected {(int)expected}, got {(int)response.Status}: {response.Body}");
}

/// <summary>One <see cref="AdminApplication"/> for the admin API's and the command line's tests.</summary>
[CollectionDefinition(AdminApplication.Collection)]
public sealed class AdminCollection : ICollectionFixture<AdminApplication>;
