using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Logging.Console;
using IdentityHub.Web.Hosting;

namespace IdentityHub.Web.Cli;

/// <summary>
/// Runs a command on the server's own services (<see cref="HubServices"/>) without starting it: no Kestrel, no hosted
/// services (no seeding, no outbox sender: an email a command queues is sent by a running server). The database must
/// already be migrated (<c>migrate</c>, or a server's first start).
/// </summary>
internal static class CliHost
{
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        var builder = HubServices.CreateBuilder(HubCommandLine.HostArguments(parse));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);   // stdout is the result's
        await using var app = builder.Build();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await command(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or OptionsValidationException or TimeoutException)
        {
            // The exception's message, not the connection string: the message names the key or the server, never a password.
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {exception.Message}");
            return CliOutput.Failed;
        }
    }
}
