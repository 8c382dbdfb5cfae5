using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// A host with administrator clients (one for every tenant, one bound to tenant B), a client that is not an
/// administrator, and a tenant whose Cedar policies forbid administrators to reset passwords of SSO-managed accounts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdminUsersApplication : HubApplication
{
    public static readonly Guid Policed = Guid.Parse("40000000-0000-4000-8000-000000000001");
    public const string SsoNotice = "Passwords of SSO accounts are managed by the identity provider.";
    public const string Admin = "test-admin";
    public const string AdminOfB = "test-admin-b";
    public const string NotAdmin = "test-not-admin";
    public const string AdminSecret = "test-admin-secret-0123456789";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Seed"] = new
        {
            Tenants = new object[]
            {
                new { Id = TestData.TenantA, Name = "Acme", DefaultLocale = "en", PasswordPolicy = new { Preset = "strict" } },
                new { Id = TestData.TenantB, Name = "Globex", DefaultLocale = "fr", PasswordPolicy = new { Preset = "strict" } },
                new
                {
                    Id = Policed, Name = "Policed", DefaultLocale = "en",
                    Policies = """
                        @id("administrators")
                        permit (principal, action in [Action::"AdminUpdateUser", Action::"RevokeSession"], resource);

                        @id("no-admin-reset-of-sso-accounts")
                        @notice("Passwords of SSO accounts are managed by the identity provider.")
                        forbid (principal, action == Action::"AdminUpdateUser", resource)
                        when { ["reset_password", "set_password", "require_password_change"].contains(context.operation) && resource.owner.sso_managed };
                        """,
                },
            },
            Clients = new object[]
            {
                new
                {
                    ClientId = TestData.SpaClient, GrantTypes = new[] { "authorization_code", "refresh_token" },
                    RedirectUris = new[] { TestData.SpaRedirectUri }, Scopes = new[] { "openid", "offline_access", "account" },
                },
                new
                {
                    ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, TenantId = TestData.TenantA,
                    GrantTypes = new[] { "password", "refresh_token" }, Scopes = new[] { "openid", "offline_access", "account" },
                },
                new { ClientId = Admin, ClientSecret = AdminSecret, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = true },
                new { ClientId = AdminOfB, ClientSecret = AdminSecret, TenantId = TestData.TenantB, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = true },
                new { ClientId = NotAdmin, ClientSecret = AdminSecret, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = false },
            },
        };
    }

    private readonly Dictionary<string, string> tokens = [];

    /// <summary>A client-credentials token of <paramref name="clientId"/> with the admin scope (one per client, reused).</summary>
    public async Task<string> AdminTokenAsync(string clientId = Admin)
    {
        lock (tokens)
        {
            if (tokens.TryGetValue(clientId, out var cached))
            {
                return cached;
            }
        }
        var oauth = new OAuthClient(this);
        var token = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = (await oauth.DiscoverAsync()).TokenEndpoint, ClientId = clientId, ClientSecret = AdminSecret, Scope = "admin",
        });
        Assert.False(token.IsError, $"{token.Error}: {token.ErrorDescription}");
        lock (tokens)
        {
            tokens[clientId] = token.AccessToken!;
        }
        return token.AccessToken!;
    }

    /// <summary>An admin API call as <paramref name="clientId"/>.</summary>
    public async Task<ApiResponse> AdminAsync(HttpMethod method, string path, object? body = null, string clientId = Admin) =>
        await ApiCall.SendAsync(new OAuthClient(this).Http, method, path, await AdminTokenAsync(clientId), body is null ? null : JsonSerializer.Serialize(body));

    public static string Users(Guid tenant) => $"/v1/admin/tenants/{tenant}/users";

    public static string User(Guid tenant, Guid user) => $"/v1/admin/tenants/{tenant}/users/{user}";

    /// <summary>
    /// Runs <c>dotnet IdentityHub.Web.dll &lt;args&gt;</c> (the build next to the tests) as an operator would, on this
    /// host's database and settings, with <paramref name="stdin"/> as standard input.
    /// </summary>
    public async Task<(int ExitCode, string Output, string Error)> CliAsync(string? stdin, params string[] args)
    {
        _ = Address;
        var workingDirectory = Path.Combine(Directory, "cli-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(PublishedApp.Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IdentityHub.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--IdentityHub:SettingsFile=" + Path.Combine(Directory, "fixture.json"));
        start.ArgumentList.Add("--IdentityHub:Server:Issuer=" + Address);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) || k.StartsWith("IdentityHub", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    /// <summary>The token of the newest email of <paramref name="kind"/> in the outbox to <paramref name="email"/>.</summary>
    public Task<string> LinkTokenAsync(string email) => QueryAsync(async db =>
    {
        var message = db.Outbox.Where(m => m.ToAddress == email).AsEnumerable().OrderByDescending(m => m.CreatedAt).First();
        var link = System.Text.RegularExpressions.Regex.Match(message.TextBody, @"/Account/ResetPassword\?token=(\S+)").Groups[1].Value;
        await Task.CompletedTask;
        return WebUtility.UrlDecode(link);
    });
}

/// <summary>The admin tests share one host: a process of the command line and the API tests work on the same database.</summary>
[CollectionDefinition(Name)]
public sealed class AdminUsersCollection : ICollectionFixture<AdminUsersApplication>
{
    public const string Name = "admin users";
}
