using System.Diagnostics;
using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>
/// The PostgreSQL provider's own behaviour, on the real server the fixture starts (whatever provider the rest of the
/// run uses): the migrate step, a host that does not migrate on start, instances starting together, racing changes.
/// </summary>
[Trait("Database", "PostgreSQL")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PostgreSqlTests
{
    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_AppliesEveryMigration_ThenFindsNothingLeft_AndExitsZeroBothTimes()
    {
        var connectionString = PostgresServer.Shared.EmptyDatabase();

        var first = await MigrateAsync(("IdentityHub__Database__Provider", "PostgreSQL"), ("IdentityHub__Database__ConnectionString", connectionString));
        var second = await MigrateAsync(("IdentityHub__Database__Provider", "PostgreSQL"), ("IdentityHub__Database__ConnectionString", connectionString));

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Matches(@"applied \d+_Initial", first.Output);
        Assert.DoesNotContain("Password=", first.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("the database is up to date", second.Output);
        using var host = new PostgreSqlHost(connectionString);
        Assert.Empty(await host.QueryAsync(db => db.Database.GetPendingMigrationsAsync()));
    }

    [Fact]
    public async Task Migrate_OnSqlite_CreatesTheFile_AndExitsZero()
    {
        var file = Path.Combine(Path.GetTempPath(), "identityhub-tests", Guid.NewGuid().ToString("N"), "data", "identityhub.db");

        var result = await MigrateAsync(("IdentityHub__Database__Path", file));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"applied \d+_Initial", result.Output);
        Assert.True(File.Exists(file));
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(file))!, recursive: true);
    }

    [Theory]
    [InlineData("", "IdentityHub:Database:ConnectionString is required")]
    [InlineData("Host=127.0.0.1;Port=1;Username=postgres;Password=hunter2-not-logged;Timeout=2", "migrate: failed")]
    public async Task Migrate_WithoutAReachableDatabase_ExitsNonZero_SayingWhy_WithoutThePassword(string connectionString, string message)
    {
        var result = await MigrateAsync(("IdentityHub__Database__Provider", "PostgreSQL"), ("IdentityHub__Database__ConnectionString", connectionString));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Output);
        Assert.DoesNotContain("hunter2", result.Output);
    }

    [Fact]
    public void Host_WithMigrateOnStartOff_RefusesADatabaseWithPendingMigrations_SayingToRunMigrate()
    {
        // PostgreSQL's default: the instances do not migrate on start.
        using var host = new PostgreSqlHost(PostgresServer.Shared.EmptyDatabase());

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains("run the migrate command first", error.ToString());
        Assert.Contains("_Initial", error.ToString());
    }

    [Fact]
    public async Task ThreeHosts_StartingTogether_OnAFreshDatabase_SeedEachRowOnce()
    {
        // A migrated database nothing has seeded yet: three instances race to apply the same (changed) seed.
        var key = Path.Combine(Path.GetTempPath(), "identityhub-tests", "seed-race-" + Guid.NewGuid().ToString("N"));
        var connectionString = PostgresServer.Shared.DatabaseFor(key);
        var hosts = Enumerable.Range(0, 3).Select(_ => new PostgreSqlHost(connectionString)).ToList();
        try
        {
            var started = await Task.WhenAll(hosts.Select(h => Task.Run(() => h.Address)));

            Assert.Equal(3, started.Distinct().Count());
            var (tenants, users, clients, seeds) = await hosts[0].QueryAsync(async db => (
                await db.Tenants.CountAsync(), await db.Users.CountAsync(),
                await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().CountAsync(), await db.AppliedSeeds.CountAsync()));
            Assert.Equal((2, 3, 5, 1), (tenants, users, clients, seeds));
            Assert.Equal(2, hosts.SelectMany(h => h.Logs.Lines).Count(l => l.Contains("The seed is unchanged", StringComparison.Ordinal)));
            foreach (var host in hosts)
            {
                Assert.False((await new OAuthClient(host).PasswordGrantAsync("alice@acme.test", TestData.StrongPassword)).IsError);
            }
        }
        finally
        {
            hosts.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task TwoRacingChanges_OnPostgreSQL_OneWins_TheOtherIsRefused_NoServerError()
    {
        // READ COMMITTED, not SQLite's serialised writers: the concurrency stamp must still let exactly one change win.
        using var host = OnAFreshDatabase();
        var oauth = new OAuthClient(host);
        for (var round = 0; round < 5; round++)
        {
            var (userId, email) = await host.CreateUserAsync(TestData.TenantA);
            var token = await oauth.AccessTokenAsync(email);

            var responses = await Task.WhenAll(
                ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword),
                ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.ThirdStrongPassword));

            Assert.DoesNotContain(responses, r => (int)r.Status >= 500);
            Assert.Single(responses, r => r.Status == HttpStatusCode.NoContent);
            var winner = responses[0].Status == HttpStatusCode.NoContent ? TestData.OtherStrongPassword : TestData.ThirdStrongPassword;
            Assert.False((await oauth.PasswordGrantAsync(email, winner)).IsError, "the winner's password must be the stored one");
            Assert.Equal(2, await host.QueryAsync(db => db.PasswordHistory.CountAsync(h => h.UserId == userId)));
        }
    }

    [Fact]
    public async Task TwoRacingStepUpChanges_WithOneStepUpToken_OnPostgreSQL_OneWins_NoServerError()
    {
        using var host = OnAFreshDatabase();
        var oauth = new OAuthClient(host);
        for (var round = 0; round < 5; round++)
        {
            var (_, email) = await host.CreateUserAsync(TestData.TenantA);
            var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

            var responses = await Task.WhenAll(
                ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword),
                ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.ThirdStrongPassword));

            Assert.DoesNotContain(responses, r => (int)r.Status >= 500);
            Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
            // The loser: the token already used (STEP_UP_TOKEN_INVALID), or, arriving after the commit, a revoked session.
            Assert.Single(responses, r => r.Status == HttpStatusCode.Unauthorized);
            var stored = responses[0].Status == HttpStatusCode.OK ? TestData.OtherStrongPassword : TestData.ThirdStrongPassword;
            Assert.False((await oauth.PasswordGrantAsync(email, stored)).IsError, "the winner's password must be the stored one");
        }
    }

    [Fact]
    public async Task WhenPostgreSQLRefusesTheHost_ReadyzAnswers503_AChangeAnswersTheDialectsDatabaseError_ThenBothRecover()
    {
        using var host = OnAFreshDatabase();
        var oauth = new OAuthClient(host);
        var (_, email) = await host.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(host.ConnectionString).Database;
        Assert.Equal(HttpStatusCode.OK, (await oauth.Http.GetAsync("/readyz")).StatusCode);

        // The server stays up but takes no connection to the host's database, and ends the ones the host's pool holds.
        PostgresServer.Shared.Execute($"ALTER DATABASE {database} ALLOW_CONNECTIONS false");
        PostgresServer.Shared.Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        HttpStatusCode down;
        ApiResponse refused;
        try
        {
            down = (await oauth.Http.GetAsync("/readyz")).StatusCode;
            refused = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        }
        finally
        {
            PostgresServer.Shared.Execute($"ALTER DATABASE {database} ALLOW_CONNECTIONS true");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal((HttpStatusCode.InternalServerError, "internal_error"), (refused.Status, refused.Code));
        Assert.Equal(HttpStatusCode.OK, (await oauth.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await oauth.Http.GetAsync("/readyz")).StatusCode);
        var retried = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, retried.Status);
    }

    /// <summary>Runs <c>dotnet IdentityHub.Web.dll migrate</c> (the build next to the tests) in Development, with only the given settings.</summary>
    private static async Task<(int ExitCode, string Output)> MigrateAsync(params (string Key, string Value)[] environment)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "identityhub-tests", "migrate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(PublishedApp.Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IdentityHub.Web.dll"));
        start.ArgumentList.Add("migrate");
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) || k.StartsWith("IdentityHub", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Directory.Delete(workingDirectory, recursive: true);
        return (process.ExitCode, await output + error);
    }

    /// <summary>A host on a database of its own, migrated (from the fixture's template), not yet seeded.</summary>
    private static PostgreSqlHost OnAFreshDatabase() =>
        new(PostgresServer.Shared.DatabaseFor(Path.Combine(Path.GetTempPath(), "identityhub-tests", "pg-" + Guid.NewGuid().ToString("N"))));

    /// <summary>A host on the given PostgreSQL database; with <paramref name="migrate"/>, it migrates on start.</summary>
    private sealed class PostgreSqlHost(string connectionString, bool migrate = false) : HubApplication
    {
        public string ConnectionString => connectionString;

        protected override void Configure(Dictionary<string, object?> settings) =>
            settings["Database"] = new { Provider = "PostgreSQL", ConnectionString = connectionString, MigrateOnStart = migrate };
    }
}
