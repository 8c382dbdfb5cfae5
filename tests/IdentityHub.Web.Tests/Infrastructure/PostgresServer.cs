using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server per test run: Debian's <c>initdb</c> and <c>pg_ctl</c> (installed by ./test.sh) start it as
/// a plain process in a temporary folder, on a free port of 127.0.0.1, with durability off (fsync) since the folder is
/// thrown away; it is stopped by PID when the test process exits. Each host gets its own database, copied from a
/// template migrated once, so a host starts on an up-to-date schema as in production after the migrate step.
/// Root may not run PostgreSQL: as root, the commands run as the <c>postgres</c> user on a folder it owns.
/// </summary>
public sealed class PostgresServer
{
    private const string Template = "identityhub_template";
    private static readonly Lazy<PostgresServer> SharedServer = new(() => new PostgresServer());
    private readonly string folder = Path.Combine(Path.GetTempPath(), "identityhub-pg", Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<string, Lazy<string>> databases = new();
    private readonly SemaphoreSlim creating = new(1, 1);
    private readonly int pid;

    private PostgresServer()
    {
        Port = FreePort();
        RemoveAbandonedFolders();
        Directory.CreateDirectory(folder);
        var bin = FindBinaries();
        if (Environment.UserName == "root")
        {
            Run("chown", $"postgres: {folder}");
        }
        RunAsServerUser(Path.Combine(bin, "initdb"), $"-D {folder}/data -U postgres -A trust -E UTF8 --no-locale --no-sync");
        RunAsServerUser(Path.Combine(bin, "pg_ctl"),
            $"-D {folder}/data -l {folder}/server.log -w -t 60 start " +
            $"-o \"-p {Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500\"");
        pid = int.Parse(File.ReadLines($"{folder}/data/postmaster.pid").First());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        CreateTemplate();
    }

    /// <summary>The server, started at first use.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/>, as the superuser (trust authentication on 127.0.0.1).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Connection Idle Lifetime=15";

    /// <summary>
    /// The connection string of the database that stands for <paramref name="key"/> (a fixture's SQLite path): the same key,
    /// the same database, so a restarted host or a second instance shares it. Created from the migrated template at first use.
    /// </summary>
    public string DatabaseFor(string key) => databases.GetOrAdd(key, k => new Lazy<string>(() =>
    {
        var name = "ih_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(k)))[..24];
        Execute($"CREATE DATABASE {name} TEMPLATE {Template}");
        return ConnectionString(name);
    })).Value;

    /// <summary>The connection string of the database for <paramref name="key"/>, when one was created.</summary>
    public string? Existing(string key) => databases.TryGetValue(key, out var database) && database.IsValueCreated ? database.Value : null;

    /// <summary>Makes <paramref name="key"/> name the database of <paramref name="existing"/> (a host restarted from a copied folder).</summary>
    public void Alias(string key, string existing) => databases[key] = new Lazy<string>(DatabaseFor(existing));

    /// <summary>A new database without any table, for the tests of the migrate step.</summary>
    public string EmptyDatabase()
    {
        var name = "empty_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE {name}");
        return ConnectionString(name);
    }

    /// <summary>Runs one statement in the server's maintenance database (CREATE DATABASE takes one at a time: the template may have one copier).</summary>
    public void Execute(string sql)
    {
        creating.Wait();
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
        finally
        {
            creating.Release();
        }
    }

    private void CreateTemplate()
    {
        Execute($"CREATE DATABASE {Template}");
        var options = new DbContextOptionsBuilder<IdentityHubDbContext>();
        options.UseIdentityHubDatabase(new DatabaseOptions { Provider = DatabaseProvider.PostgreSQL, ConnectionString = ConnectionString(Template) + ";Pooling=false" }, folder);
        using var db = new IdentityHubDbContext(options.Options);
        db.Database.Migrate();
    }

    /// <summary>
    /// SIGINT to the postmaster by its PID (PostgreSQL's fast shutdown), then the folder removed once it has exited, in a
    /// detached shell: the test runner ends the test process soon after the last test, before a deletion of the
    /// folder (hundreds of databases) could finish here.
    /// </summary>
    private void Stop() =>
        Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", $"kill -INT {pid}; while kill -0 {pid} 2>/dev/null; do sleep 0.1; done; rm -rf '{folder}'"])
        {
            UseShellExecute = false,
        })?.Dispose();

    /// <summary>
    /// Folders of earlier runs whose server is gone (a run killed before its exit handler finished): removed when older
    /// than ten minutes, so a run starting at the same moment on this machine keeps its own.
    /// </summary>
    private void RemoveAbandonedFolders()
    {
        var parent = Path.GetDirectoryName(folder)!;
        if (!Directory.Exists(parent))
        {
            return;
        }
        foreach (var old in Directory.GetDirectories(parent).Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddMinutes(-10)))
        {
            var pidFile = Path.Combine(old, "data", "postmaster.pid");
            if (File.Exists(pidFile) && Directory.Exists($"/proc/{File.ReadLines(pidFile).First()}"))
            {
                continue;
            }
            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The newest Debian PostgreSQL's binaries (/usr/lib/postgresql/&lt;version&gt;/bin), or PG_BIN.</summary>
    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("PostgreSQL tests need Debian's postgresql (installed by ./test.sh), or PG_BIN naming its bin folder.");
    }

    private static void RunAsServerUser(string program, string arguments)
    {
        if (Environment.UserName == "root")
        {
            Run("runuser", $"-u postgres -- {program} {arguments}");
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {error} {output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
