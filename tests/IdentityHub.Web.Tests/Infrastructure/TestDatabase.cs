namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// The database the suite runs on: SQLite files (default), or PostgreSQL when <c>IDENTITYHUB_TEST_PROVIDER=PostgreSQL</c>
/// (./test.sh runs the suite both ways). Tests about SQLite itself carry <c>[Trait("Database", "Sqlite")]</c> and are
/// left out of the PostgreSQL run.
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable("IDENTITYHUB_TEST_PROVIDER"), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The fixture's <c>IdentityHub:Database</c> section for the database named by <paramref name="path"/>: that SQLite
    /// file, or the PostgreSQL database that stands for it (hosts given the same path share one database either way).
    /// </summary>
    public static object Settings(string path) => IsPostgreSql
        ? new { Provider = "PostgreSQL", ConnectionString = PostgresServer.Shared.DatabaseFor(path) }
        : new { Path = path, BusyTimeoutMilliseconds = 2000 };

    /// <summary>Releases the pooled connections of the database that stands for <paramref name="path"/>.</summary>
    public static void ReleaseConnections(string path)
    {
        if (IsPostgreSql)
        {
            if (PostgresServer.Shared.Existing(path) is { } connectionString)
            {
                Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(connectionString));
            }
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
