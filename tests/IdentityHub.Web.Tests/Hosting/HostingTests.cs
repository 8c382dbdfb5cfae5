using System.Net;
using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>A host in Production with development keys: it must refuse to start.</summary>
public sealed class ProductionWithDevelopmentKeys : HubApplication
{
    protected override string EnvironmentName => "Production";
}

/// <summary>A host in Production with real keys but plain HTTP allowed: it must refuse to start.</summary>
public sealed class ProductionOverHttp : HubApplication
{
    protected override string EnvironmentName => "Production";

    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Keys"] = new
        {
            SigningKeyPem = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem(),
            EncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
}

/// <summary>
/// A host in an environment that is not Development (Staging here), with the given settings over safe ones: real
/// keys, an https issuer, no plain HTTP, 100,000 hash iterations.
/// </summary>
public class StagingHost(Action<Dictionary<string, object?>>? unsafeSettings = null) : HubApplication
{
    protected override string EnvironmentName => "Staging";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Keys"] = new Dictionary<string, object?>
        {
            ["UseDevelopmentKeys"] = false,
            ["SigningKeyPem"] = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem(),
            ["EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        settings["Server"] = new Dictionary<string, object?> { ["AllowInsecureHttp"] = false, ["Issuer"] = "https://id.example.test/" };
        settings["Passwords"] = new { Hashing = new { Iterations = 100_000 } };
        unsafeSettings?.Invoke(settings);
    }
}

/// <summary>A tenant whose Cedar policies do not parse: the host must refuse to start, saying where.</summary>
public sealed class UnparsablePolicies : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Seed"] = new { Tenants = new[] { new { Id = TestData.TenantA, Name = "Acme", Policies = "permit (principal,\n  action resource);" } } };
}

/// <summary>A tenant whose Cedar policies name two policies alike: the host must refuse to start, saying where.</summary>
public sealed class DuplicatePolicyIds : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Seed"] = new { Tenants = new[] { new { Id = TestData.TenantA, Name = "Acme",
            Policies = "@id(\"self\") permit (principal, action, resource);\n@id(\"self\") forbid (principal, action, resource);" } } };
}

/// <summary>Start-up, operations endpoints, migrations and seeding.</summary>
public sealed class HostingTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task HealthAndReadiness_Return200()
    {
        var http = app.CreateBrowserlessClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheV1PasswordApi()
    {
        var http = app.CreateBrowserlessClient();

        var json = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;

        foreach (var documented in new[] { "/v1/users/me/password", "/api/users/me/password", "/api/me/change-password", "/v1/password-policy", "/v1/admin/policies/evaluate", "/v1/password-resets", "/v1/password-resets/confirm", "/v1/users/me/sessions", "/v1/users/me/sessions/{id}", "/v1/users/me/email-verifications", "/v1/users/me/password-changes", "/v1/users/me/password-changes/{id}" })
        {
            Assert.True(json.GetProperty("paths").TryGetProperty(documented, out _), $"{documented} is not in the OpenAPI document");
        }
        Assert.True(json.GetProperty("paths").TryGetProperty("/v1/users/me/password", out var path));
        var responses = path.GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "204", "400", "401", "403", "429", "500" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"status {status} is not documented");
        }
        // The receipt's id: Location and Password-Change-Id on v1's 204, the header on the other dialects' 200.
        Assert.True(responses.GetProperty("204").GetProperty("headers").TryGetProperty("Location", out _));
        foreach (var (route, method, status) in new[] { ("/v1/users/me/password", "post", "204"), ("/api/users/me/password", "put", "200"), ("/api/me/change-password", "post", "200") })
        {
            var headers = json.GetProperty("paths").GetProperty(route).GetProperty(method).GetProperty("responses").GetProperty(status).GetProperty("headers");
            Assert.True(headers.TryGetProperty("Password-Change-Id", out _), $"{route} does not document Password-Change-Id");
        }
    }

    [Fact]
    public async Task Database_IsCreatedByMigrations_NotEnsureCreated()
    {
        _ = app.Address;

        var migrations = await app.QueryAsync(db => db.Database.GetAppliedMigrationsAsync());

        Assert.Contains(migrations, m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.True(TestDatabase.IsPostgreSql || File.Exists(app.DatabasePath));
    }

    [Fact]
    public async Task Model_HasNoChangeWithoutAMigration()
    {
        _ = app.Address;

        Assert.False(await app.QueryAsync(db => Task.FromResult(db.Database.HasPendingModelChanges())),
            "the EF Core model differs from the last migration: add one with dotnet ef migrations add");
    }

    [Fact]
    public async Task Seeding_IsIdempotent_AndARestartKeepsAChangedPassword()
    {
        // A second host on the same database file and keys (a restart).
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var change = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync("alice@acme.test"), TestData.TenantA, TestData.StrongPassword, TestData.ThirdStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        var usersBefore = await app.QueryAsync(db => db.Users.CountAsync());

        using var restarted = new RestartedApplication(app);
        var again = new OAuthClient(restarted);

        Assert.False((await again.PasswordGrantAsync("alice@acme.test", TestData.ThirdStrongPassword)).IsError, "the changed password must survive the restart");
        Assert.Equal(usersBefore, await restarted.QueryAsync(db => db.Users.CountAsync()));
        Assert.Equal(2, await restarted.QueryAsync(db => db.Tenants.CountAsync()));
        Assert.False((await again.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task CompiledModel_MatchesTheModelOnModelCreatingBuilds()
    {
        _ = app.Address;

        // The host runs on the compiled model (Persistence/CompiledModel, for a faster start); the design-time model is
        // built from OnModelCreating. A change to one without the other must fail here, not in production.
        var (runsOnCompiled, compiled, built) = await app.QueryAsync(db => Task.FromResult((
            db.Model is IdentityHub.Persistence.CompiledModel.IdentityHubDbContextModel,
            Describe(db.Model), Describe(db.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model))));

        // The compiled model is SQLite's (its store types are SQLite's): PostgreSQL must build its own instead.
        Assert.True(runsOnCompiled != TestDatabase.IsPostgreSql, TestDatabase.IsPostgreSql
            ? "PostgreSQL must not run on SQLite's compiled model" : "the context should run on the compiled model");
        Assert.True(built == compiled, "the compiled model is stale: regenerate it with dotnet ef dbcontext optimize (README, Development)");
    }

    /// <summary>What the database sees of a model: tables, columns with types and nullability, keys, indexes, foreign keys, converters.</summary>
    private static string Describe(Microsoft.EntityFrameworkCore.Metadata.IModel model) => string.Join('\n',
        model.GetRelationalModel().Tables.OrderBy(t => t.Name).Select(t =>
            $"{t.Name}({string.Join(", ", t.Columns.OrderBy(c => c.Name).Select(c => $"{c.Name} {c.StoreType} {(c.IsNullable ? "null" : "not null")} {c.PropertyMappings.First().Property.GetTypeMapping().Converter?.ProviderClrType.Name}"))}) " +
            $"pk {string.Join(",", t.PrimaryKey?.Columns.Select(c => c.Name) ?? [])} " +
            $"ix {string.Join("; ", t.Indexes.OrderBy(i => i.Name).Select(i => $"{i.Name} {i.IsUnique} {string.Join(",", i.Columns.Select(c => c.Name))}"))} " +
            $"fk {string.Join("; ", t.ForeignKeyConstraints.OrderBy(f => f.Name).Select(f => $"{f.Name} {f.OnDeleteAction}"))}"));

    [Fact]
    public async Task Restart_WithTheSameSeed_DoesNotApplyItAgain_AChangedSeedIs()
    {
        _ = app.Address;
        // An operator renames the tenant in the database; an unchanged seed leaves that alone at the next start.
        await app.QueryAsync(db => db.Tenants.Where(t => t.Id == TestData.TenantA).ExecuteUpdateAsync(t => t.SetProperty(x => x.Name, "Renamed")));

        using (var same = new RestartedApplication(app))
        {
            _ = same.Address;
            Assert.Equal("Renamed", await same.QueryAsync(db => db.Tenants.Where(t => t.Id == TestData.TenantA).Select(t => t.Name).SingleAsync()));
            Assert.Contains(same.Logs.Lines, l => l.Contains("The seed is unchanged", StringComparison.Ordinal));
        }

        using var changed = new RestartedApplication(app, seed => seed["Tenants"]![0]!["Name"] = "Acme Corp");
        _ = changed.Address;
        Assert.Equal("Acme Corp", await changed.QueryAsync(db => db.Tenants.Where(t => t.Id == TestData.TenantA).Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task Restart_WithARotatedClientSecret_AcceptsOnlyTheNewSecret()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        const string rotated = "rotated-cli-secret-9876543210";

        // Secrets are kept out of the seed's fingerprint, so nothing else changes and the seed counts as unchanged.
        using var restarted = new RestartedApplication(app, seed => seed["Clients"]!.AsArray()
            .Single(c => (string?)c!["ClientId"] == TestData.CliClient)!["ClientSecret"] = rotated);
        var oauth = new OAuthClient(restarted);

        var withRotated = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, secret: rotated);
        Assert.False(withRotated.IsError, $"{withRotated.Error}: {withRotated.ErrorDescription}");
        var withOld = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.HttpStatusCode);
        Assert.Equal("invalid_client", withOld.Json?.GetProperty("error").GetString());
        Assert.Contains(restarted.Logs.Lines, l => l.Contains("The seed is unchanged", StringComparison.Ordinal));
        var stored = await restarted.QueryAsync(db => db.AppliedSeeds.SingleAsync());
        Assert.DoesNotContain(rotated, stored.Fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleSettings_BindToEveryOptionsClass()
    {
        // appsettings.example.json is how anyone outside configures a fixture: it must stay loadable and complete.
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "appsettings.example.json")))
        {
            root = Path.GetDirectoryName(root) ?? throw new FileNotFoundException("appsettings.example.json not found above the test binaries");
        }
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.example.json")).Build();

        var seed = configuration.GetSection("IdentityHub:Seed").Get<IdentityHub.Web.Seeding.SeedOptions>()!;
        var server = configuration.GetSection("IdentityHub:Server").Get<IdentityHub.Web.ServerOptions>()!;
        var mail = configuration.GetSection("IdentityHub:Mail").Get<IdentityHub.Notifications.MailOptions>()!;
        var database = configuration.GetSection("IdentityHub:Database").Get<IdentityHub.Persistence.DatabaseOptions>()!;
        var hashing = configuration.GetSection("IdentityHub:Passwords:Hashing").Get<IdentityHub.Passwords.PasswordHashingOptions>()!;

        Assert.Equal(TestData.TenantA, Assert.Single(seed.Tenants).Id);
        Assert.Equal("strict", seed.Tenants[0].PasswordPolicy.Preset);
        Assert.NotNull(IdentityHub.AccountPolicies.AccountPolicyService.Parse(seed.Tenants[0].Policies));
        Assert.Equal("false", seed.Tenants[0].Attributes["change_freeze"]);
        Assert.Equal(["spa", "webapp", "spa-sample", "ops-admin"], seed.Clients.Select(c => c.ClientId));
        Assert.Equal([false, false, false, true], seed.Clients.Select(c => c.Admin));
        Assert.Equal(["https://app.example.com"], seed.Clients[0].AllowedOrigins);
        Assert.Equal(TimeSpan.FromMinutes(15), server.AccessTokenLifetime);
        Assert.Equal("smtp.example.com", mail.Smtp.Host);
        Assert.Equal(["en", "fr", "de", "es"], mail.SupportedCultures);
        Assert.Equal(5000, database.BusyTimeoutMilliseconds);
        Assert.Equal(210_000, hashing.Iterations);
        Assert.Null(hashing.MaxConcurrent);
        Assert.Null(hashing.QueueLimit);
        Assert.Equal(5, configuration.GetSection("IdentityHub:Lockout").Get<IdentityHub.Accounts.LockoutPolicyOptions>()!.MaxFailedAccessAttemptsPerIp);
        Assert.Equal(20, configuration.GetSection("IdentityHub:Lockout").Get<Microsoft.AspNetCore.Identity.LockoutOptions>()!.MaxFailedAccessAttempts);
        var throttling = configuration.GetSection("IdentityHub:Throttling").Get<IdentityHub.Throttling.ThrottlingOptions>()!;
        Assert.Equal((20, 10), (throttling.FailuresPerIpPerMinute, throttling.FailuresPerAccountPerMinute));
        var keys = configuration.GetSection("IdentityHub:Keys").Get<IdentityHub.Web.Connect.KeyOptions>()!;
        Assert.Equal(("/run/secrets/identityhub-signing.pem", "/run/secrets/identityhub-encryption.key"), (Assert.Single(keys.Signing).Path, Assert.Single(keys.Encryption).Path));
        Assert.Null(keys.SigningKeyPath);
        Assert.Equal(TimeSpan.FromDays(365), configuration.GetSection("IdentityHub:Housekeeping").Get<IdentityHub.Housekeeping.HousekeepingOptions>()!.AuditRetention);
        Assert.Equal(TimeSpan.FromMinutes(5), configuration.GetSection("IdentityHub:StepUp").Get<IdentityHub.StepUp.StepUpOptions>()!.Lifetime);
        var sessions = configuration.GetSection("IdentityHub:Sessions").Get<IdentityHub.Sessions.SessionLifetimeOptions>()!;
        Assert.Equal(TimeSpan.FromDays(30), sessions.AbsoluteLifetime);
        Assert.Equal(TimeSpan.FromDays(14), sessions.IdleLifetime);
        var lockout = configuration.GetSection("IdentityHub:Lockout").Get<IdentityHub.Accounts.LockoutPolicyOptions>()!;
        Assert.Equal((20, TimeSpan.FromMinutes(15)), (lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan));
        Assert.Equal(MailKit.Security.SecureSocketOptions.StartTls, mail.Smtp.Security);
        Assert.Equal(TimeSpan.FromMinutes(5), configuration.GetSection("IdentityHub:StepUp").Get<IdentityHub.StepUp.StepUpOptions>()!.ReauthenticateAfter);
        var rateLimiting = configuration.GetSection("IdentityHub:RateLimiting").Get<IdentityHub.Web.Api.RateLimitingOptions>()!;
        Assert.Equal((30, TimeSpan.FromMinutes(1)), (rateLimiting.PermitLimit, rateLimiting.Window));
        var telemetry = configuration.GetSection("IdentityHub:Telemetry").Get<IdentityHub.Web.Hosting.TelemetryOptions>()!;
        Assert.Equal((null, OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, "identityhub"), (telemetry.OtlpEndpoint, telemetry.OtlpProtocol, telemetry.ServiceName));
        Assert.Equal(TimeSpan.FromMinutes(15), configuration.GetSection("IdentityHub:Readiness").Get<IdentityHub.Web.Hosting.ReadinessOptions>()!.OutboxMaxPendingAge);
    }

    [Fact]
    public void Production_WithDevelopmentKeys_RefusesToStart()
    {
        using var production = new ProductionWithDevelopmentKeys();

        var error = Assert.ThrowsAny<Exception>(() => production.Address);

        Assert.Contains("development keys", error.ToString());
    }

    [Fact]
    public void Production_OverPlainHttp_RefusesToStart()
    {
        using var production = new ProductionOverHttp();

        var error = Assert.ThrowsAny<Exception>(() => production.Address);

        Assert.Contains("plain HTTP", error.ToString());
    }

    public static TheoryData<string, string> UnsafeOutsideDevelopment => new()
    {
        { "development keys", "development keys" },
        { "plain HTTP", "plain HTTP" },
        { "no issuer", "https:// issuer" },
        { "an http issuer", "https:// issuer" },
        { "cheap hashing", "hash iterations" },
        { "an http back-channel logout URI", "BackchannelLogoutUri: 'http://rp.example.test/logout' must use https" },
    };

    [Theory]
    [MemberData(nameof(UnsafeOutsideDevelopment))]
    public void AnyEnvironmentButDevelopment_RefusesUnsafeSettings_NamingTheKey(string what, string message)
    {
        using var host = new StagingHost(settings =>
        {
            switch (what)
            {
                case "development keys":
                    settings["Keys"] = new { UseDevelopmentKeys = true };
                    break;
                case "plain HTTP":
                    settings["Server"] = new { AllowInsecureHttp = true, Issuer = "https://id.example.test/" };
                    break;
                case "no issuer":
                    settings["Server"] = new { AllowInsecureHttp = false };
                    break;
                case "an http issuer":
                    settings["Server"] = new { AllowInsecureHttp = false, Issuer = "http://id.example.test/" };
                    break;
                case "an http back-channel logout URI":
                    settings["Seed"] = new { Clients = new[] { new { ClientId = "rp", BackchannelLogoutUri = "http://rp.example.test/logout" } } };
                    break;
                default:
                    settings["Passwords"] = new { Hashing = new { Iterations = 99_999 } };
                    break;
            }
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains(message, error.ToString());
        Assert.Contains("Staging", error.ToString());
    }

    [Fact]
    public async Task OutsideDevelopment_SafeSettings_Start()
    {
        using var host = new StagingHost();

        Assert.Equal(HttpStatusCode.OK, (await host.CreateBrowserlessClient().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public void UnparsableTenantPolicies_RefuseToStart_WithLineAndColumn()
    {
        using var host = new UnparsablePolicies();

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains("do not parse", error.ToString());
        Assert.Contains("2:", error.ToString());
    }

    [Fact]
    public void DuplicatePolicyIds_RefuseToStart_WithLineAndColumnOfTheSecond()
    {
        using var host = new DuplicatePolicyIds();

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains("duplicate policy id \"self\" at 2:2", error.ToString());
    }

    private sealed class RestartedApplication(HubApplication original, Action<System.Text.Json.Nodes.JsonNode>? changeSeed = null) : HubApplication
    {
        protected override void Configure(Dictionary<string, object?> settings)
        {
            settings["Database"] = TestDatabase.Settings(original.DatabasePath);
            settings["Keys"] = new { UseDevelopmentKeys = true, DevelopmentKeysPath = Path.Combine(original.Directory, "keys.json") };
            if (changeSeed is not null)
            {
                var seed = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(settings["Seed"]))!;
                changeSeed(seed);
                settings["Seed"] = seed;
            }
        }
    }
}
