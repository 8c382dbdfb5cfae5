using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace IdentityHub.Persistence;

/// <summary>
/// Brings the configured database to the latest migration: the host on start (when <see cref="DatabaseOptions.MigratesOnStart"/>)
/// and the <c>migrate</c> command. Several processes migrating one PostgreSQL database at once are serialised by
/// EF Core's own migration lock, so a second one finds nothing left to apply.
/// </summary>
public sealed class DatabaseMigrator(IdentityHubDbContext db, IOptions<DatabaseOptions> options)
{
    /// <summary>The migrations the database lacks, oldest first.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        CreateSqliteFolder();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>
    /// Applies the pending migrations and returns their names (empty when the database was up to date). Asking which
    /// are pending is cheap; migrating is not (EF Core compares the model with the last migration's), so a database
    /// already up to date skips it. On SQLite it also sets WAL, a property of the file: readers (token validation,
    /// discovery) proceed while a writer commits.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var pending = await PendingAsync(cancellationToken);
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (options.Value.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
        return pending;
    }

    /// <summary>The assembly that holds this provider's migrations (and so the schema a build expects).</summary>
    public System.Reflection.Assembly MigrationsAssembly => db.GetService<IMigrationsAssembly>().Assembly;

    /// <summary>
    /// The seed last applied to this database, or null when there is none yet (or no schema at all). Read with two
    /// plain SQL statements rather than through EF Core's migrations history and query pipeline, whose first use costs
    /// more than the rest of an unchanged start: a restart with the same build and seed needs nothing else from here.
    /// </summary>
    public async Task<AppliedSeed?> AppliedSeedAsync(CancellationToken cancellationToken = default)
    {
        CreateSqliteFolder();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var exists = options.Value.Provider == DatabaseProvider.Sqlite
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'AppliedSeed'"
                : """SELECT CASE WHEN to_regclass('"AppliedSeed"') IS NULL THEN 0 ELSE 1 END""";
            if (Convert.ToInt64(await ScalarAsync(exists, cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """SELECT "Fingerprint", "AppliedAt" FROM "AppliedSeed" WHERE "Id" = 1""";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new AppliedSeed { Fingerprint = reader.GetString(0), AppliedAt = reader.GetDateTime(1) }
                : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Where the data lives, for a log line: the SQLite file's full path, or PostgreSQL's host and database (never the password).</summary>
    public string Describe()
    {
        var connection = db.Database.GetDbConnection();
        return connection is SqliteConnection sqlite
            ? Path.GetFullPath(sqlite.DataSource)
            : $"PostgreSQL {connection.DataSource}/{connection.Database}";
    }

    private void CreateSqliteFolder()
    {
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource))!);
        }
    }
}
