using Microsoft.Data.Sqlite;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// A real fault: another connection holds SQLite's write lock (BEGIN IMMEDIATE) for as long as the test wants, longer
/// than the host's busy timeout, so the host's writes fail with a database error. Disposing releases it.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable
{
    private readonly SqliteConnection connection;

    private DatabaseLock(SqliteConnection connection) => this.connection = connection;

    public static async Task<DatabaseLock> AcquireAsync(HubApplication app)
    {
        var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return new DatabaseLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
        await connection.DisposeAsync();
    }
}
