using IdentityHub.Persistence;
using IdentityHub.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IdentityHub.Notifications;

/// <summary>
/// Delivers outbox messages in the background: at start (pending mail survives restarts), whenever a change
/// signals, and on a poll. A failed attempt is retried with exponential backoff; after the last attempt the
/// message is marked failed. A message is marked sent as soon as the server accepts it and is never sent again.
/// </summary>
public sealed partial class OutboxSender(
    IServiceScopeFactory scopes, IMailTransport transport, OutboxSignal signal, IOptions<MailOptions> options,
    TimeProvider clock, IHostApplicationLifetime lifetime, IdentityHubMetrics metrics, ILogger<OutboxSender> logger) : BackgroundService
{
    private const int BatchSize = 20;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogTransport(logger, transport.Describe());
        // Start delivering once the host is up: the database is migrated by a start-up task that may run after us.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) == BatchSize)
                {
                }
                await CountPendingAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database itself is unavailable: try again at the next wake-up.
                LogLoopFailure(logger, exception);
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Delivers up to one batch of due messages; returns how many were due.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Outbox
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.CreatedAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        foreach (var message in due)
        {
            message.Attempts++;
            try
            {
                await transport.SendAsync(ToMime(message), cancellationToken);
                message.Status = OutboxStatus.Sent;
                message.SentAt = clock.GetUtcNow().UtcDateTime;
                message.LastError = null;
                LogSent(logger, message.Id, message.Kind, message.Attempts);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                message.LastError = Truncate($"{exception.GetType().Name}: {exception.Message}", 500);
                metrics.DeliveryFailed(final: message.Attempts >= options.Value.MaxAttempts);
                if (message.Attempts >= options.Value.MaxAttempts)
                {
                    message.Status = OutboxStatus.Failed;
                    LogGaveUp(logger, message.Id, message.Attempts, message.LastError);
                }
                else
                {
                    var delay = Backoff(message.Attempts);
                    message.NextAttemptAt = clock.GetUtcNow().UtcDateTime + delay;
                    LogRetry(logger, message.Id, message.Attempts, delay, message.LastError);
                }
            }
            // Saved after every message, so a crash right after a delivery loses at most that one "sent" mark.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return due.Count;
    }

    /// <summary>The outbox depth gauge: messages still pending (due now or waiting for a retry) after this pass.</summary>
    private async Task CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>();
        metrics.OutboxDepth(await db.Outbox.LongCountAsync(m => m.Status == OutboxStatus.Pending, cancellationToken));
    }

    private TimeSpan Backoff(int attempts)
    {
        var settings = options.Value;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(settings.RetryBaseDelay.Ticks * factor, settings.RetryMaxDelay.Ticks));
        return delay;
    }

    private MimeMessage ToMime(OutboxMessage message)
    {
        var settings = options.Value;
        var mime = new MimeMessage
        {
            MessageId = $"{message.Id:N}@identityhub",
            Subject = message.Subject,
            Date = new DateTimeOffset(message.CreatedAt, TimeSpan.Zero),
        };
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.ToAddress));
        mime.Headers.Add(HeaderId.ContentLanguage, message.Culture);
        mime.Body = new BodyBuilder { HtmlBody = message.HtmlBody, TextBody = message.TextBody }.ToMessageBody();
        return mime;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Mail is delivered to {Destination}")]
    private static partial void LogTransport(ILogger logger, string destination);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Sent outbox message {MessageId} ({Kind}) after {Attempts} attempt(s)")]
    private static partial void LogSent(ILogger logger, Guid messageId, string kind, int attempts);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Outbox message {MessageId} failed attempt {Attempts}; retrying in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid messageId, int attempts, TimeSpan delay, string error);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Outbox message {MessageId} failed for good after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid messageId, int attempts, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The outbox could not be read")]
    private static partial void LogLoopFailure(ILogger logger, Exception exception);
}
