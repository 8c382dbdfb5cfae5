using IdentityHub.Persistence.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Persistence;

/// <summary>The provider-specific half of the context's configuration: connection, migrations and model.</summary>
public static class DatabaseConfiguration
{
    /// <summary>The assembly that holds the PostgreSQL migrations (SQLite's stay in this assembly, under Persistence/Migrations).</summary>
    public const string PostgreSqlMigrationsAssembly = "IdentityHub.Migrations.PostgreSQL";

    /// <summary>
    /// Configures <paramref name="options"/> for the configured provider. SQLite runs on the compiled model
    /// (Persistence/CompiledModel, generated for SQLite: it carries SQLite's store types, so it is set here explicitly
    /// rather than discovered for every provider); PostgreSQL builds its model from <c>OnModelCreating</c> at start.
    /// </summary>
    public static DbContextOptionsBuilder UseIdentityHubDatabase(this DbContextOptionsBuilder options, DatabaseOptions database, string contentRoot)
    {
        if (database.Provider == DatabaseProvider.PostgreSQL)
        {
            options.UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly));
        }
        else
        {
            options.UseSqlite($"Data Source={IdentityHubServiceCollectionExtensions.ResolveDatabasePath(database.Path, contentRoot)};Pooling=True");
            options.AddInterceptors(new SqlitePragmaInterceptor(database.BusyTimeoutMilliseconds, database.Synchronous));
            options.UseModel(IdentityHubDbContextModel.Instance);
        }
        return options.UseOpenIddict();
    }
}
