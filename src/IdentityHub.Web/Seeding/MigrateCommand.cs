using System.CommandLine;
using IdentityHub.Persistence;
using IdentityHub.Web.Cli;
using IdentityHub.Web.Hosting;

namespace IdentityHub.Web.Seeding;

/// <summary>
/// <c>dotnet IdentityHub.Web.dll migrate</c> (or <c>dotnet run --project src/IdentityHub.Web -- migrate</c>): applies
/// the pending EF Core migrations to the configured database with the host's own settings, prints what it applied
/// and exits 0; on failure it prints why and exits 1. The deployment step before a PostgreSQL rollout, where the
/// instances do not migrate on start.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply the pending database migrations with the host's settings, then exit");
        migrate.SetAction(parse => RunAsync(HubCommandLine.HostArguments(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return migrate;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSettingsFile(args);
        builder.Services.AddIdentityHubDatabase(builder.Environment.ContentRootPath);
        await using var app = builder.Build();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
            var applied = await migrator.MigrateAsync();
            await output.WriteLineAsync($"migrate: {migrator.Describe()}");
            foreach (var migration in applied)
            {
                await output.WriteLineAsync($"applied {migration}");
            }
            await output.WriteLineAsync(applied.Count == 0 ? "the database is up to date" : $"{applied.Count} migration(s) applied");
            return 0;
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or OptionsValidationException or TimeoutException)
        {
            // The exception's message, not the connection string: the message names the key or the server, never a password.
            await error.WriteLineAsync($"migrate: failed: {exception.Message}");
            return 1;
        }
    }
}
