using IdentityHub.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Housekeeping;

/// <summary>
/// Runs <see cref="HousekeepingService"/> every <see cref="HousekeepingOptions.Interval"/>, the first time one
/// interval after the host starts. A failed pass is logged and tried again at the next tick. With several instances
/// over one database, a pass runs on the one that holds the <c>housekeeping</c> lease (<see cref="JobLeases"/>), taken
/// for one interval and renewed by its holder: once per interval across the cluster, and by another instance when
/// the holder stops.
/// </summary>
public sealed partial class HousekeepingWorker(
    IServiceScopeFactory scopes, IOptions<HousekeepingOptions> options, TimeProvider clock, ILogger<HousekeepingWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The job's lease row.</summary>
    public const string LeaseName = "housekeeping";

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<JobLeases>().TryTakeAsync(LeaseName, options.Value.Interval, stoppingToken))
            {
                LogSkipped(logger);
                return;
            }
            var report = await scope.ServiceProvider.GetRequiredService<HousekeepingService>().RunOnceAsync(stoppingToken);
            LogPass(logger, report.Tokens, report.Authorizations, report.Sessions, report.OutboxMessages, report.StepUpTokens, report.AuditEvents);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailure(logger, exception);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Housekeeping is disabled (IdentityHub:Housekeeping:Enabled=false): no rows are pruned")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = "Housekeeping deleted {Tokens} tokens, {Authorizations} authorizations, {Sessions} sessions, {Outbox} outbox messages, {StepUp} consumed step-up tokens, {Audit} audit events")]
    private static partial void LogPass(ILogger logger, long tokens, long authorizations, int sessions, int outbox, int stepUp, int audit);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Housekeeping skipped: another instance holds the lease this interval")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Housekeeping failed; it runs again at the next interval")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
