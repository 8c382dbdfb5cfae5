using IdentityHub.BackchannelLogout;
using IdentityHub.Persistence;
using IdentityHub.SharedSignals;
using IdentityHub.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IdentityHub.Notifications;

/// <summary>
/// Delivers outbox messages in the background (emails through the mail transport, logout tokens to their relying
/// party's registered endpoint through <see cref="LogoutTokenDelivery"/>, pushed SETs to their stream's endpoint through
/// <see cref="SecurityEventDelivery"/>; polled SETs wait for their receiver): at start (pending mail survives restarts), whenever a change
/// signals, and on a poll. A failed attempt is retried with exponential backoff; after the last attempt the
/// message is marked failed. A message is marked sent as soon as the server accepts it and is never sent again.
/// Several instances over one database share the outbox: each claims a batch with a lease
/// (<see cref="MailOptions.LeaseDuration"/>), so each message is sent by one instance; the messages of an instance that
/// died mid-delivery are claimed by another once the lease has ended. Crashing between the server's acceptance and the
/// "sent" mark sends that one message twice, under the same Message-ID (its outbox id); a token twice, with the same
/// <c>jti</c>. A token the receiver refuses outright (a 4xx other than 408 and 429) is marked failed at once.
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

    /// <summary>
    /// Once the delivery loop has stopped (a delivery in flight was cancelled), gives back what this instance still
    /// holds, so that a graceful stop or restart does not leave its messages waiting for the lease to end. Best effort:
    /// a lease that cannot be given back here ends on its own.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await ReleaseAsync(scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>(),
                scope.ServiceProvider.GetRequiredService<HubInstance>().Id, cancellationToken);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogLoopFailure(logger, exception);
        }
    }

    /// <summary>
    /// Claims up to one batch of due messages for this instance and delivers them; returns how many it claimed.
    /// Claimed messages still unsent at the end (the lease ran short, or the host is stopping) are released.
    /// </summary>
    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>();
        var owner = scope.ServiceProvider.GetRequiredService<HubInstance>().Id;
        var claimed = await ClaimAsync(db, owner, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }
        var logouts = scope.ServiceProvider.GetRequiredService<LogoutTokenDelivery>();
        var signals = scope.ServiceProvider.GetRequiredService<SecurityEventDelivery>();
        try
        {
            foreach (var message in claimed)
            {
                // Start a delivery only while the lease outlasts it, so no other instance can claim it meanwhile.
                var timeout = message.Kind switch
                {
                    LogoutTokens.Kind => logouts.Timeout,
                    SecurityEventTokens.PushKind => signals.Timeout,
                    _ => options.Value.Smtp.Timeout,
                };
                if (clock.GetUtcNow().UtcDateTime + timeout >= message.LeaseExpiresAt)
                {
                    break;
                }
                var attempt = message.Kind switch
                {
                    LogoutTokens.Kind => await logouts.DeliverAsync(message, cancellationToken),
                    SecurityEventTokens.PushKind => await signals.DeliverAsync(message, cancellationToken),
                    _ => await SendMailAsync(message, cancellationToken),
                };
                await RecordAsync(db, owner, message, attempt);
            }
        }
        finally
        {
            await ReleaseAsync(db, owner, CancellationToken.None);
        }
        return claimed.Count;
    }

    /// <summary>Gives back the leases <paramref name="owner"/> holds on messages still unsent.</summary>
    private static Task<int> ReleaseAsync(IdentityHubDbContext db, string owner, CancellationToken cancellationToken) =>
        db.Outbox.Where(m => m.LeaseOwner == owner && m.Status == OutboxStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseExpiresAt, (DateTime?)null),
                cancellationToken);

    /// <summary>
    /// Leases due messages to this instance: the candidates are read, then leased with one conditional update that
    /// repeats the "due and not leased" test, so of several instances claiming at once each message goes to exactly
    /// one (a server database re-checks the condition on the row it waited for).
    /// </summary>
    private async Task<List<OutboxMessage>> ClaimAsync(IdentityHubDbContext db, string owner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + options.Value.LeaseDuration;
        // SETs of poll streams stay in the outbox until their receiver polls for them (SecurityEventPolling).
        var candidates = await db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now
                && (m.LeaseExpiresAt == null || m.LeaseExpiresAt <= now) && m.Kind != SecurityEventTokens.PollKind)
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }
        await db.Outbox.Where(m => candidates.Contains(m.Id) && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now
                && (m.LeaseExpiresAt == null || m.LeaseExpiresAt <= now))
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.LeaseOwner, owner).SetProperty(m => m.LeaseExpiresAt, until), cancellationToken);
        return await db.Outbox.AsNoTracking().Where(m => m.LeaseOwner == owner && m.Status == OutboxStatus.Pending)
            .OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Hands one email to the mail transport.</summary>
    private async Task<DeliveryAttempt> SendMailAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAsync(ToMime(message), cancellationToken);
            return DeliveryAttempt.Success();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return DeliveryAttempt.Transient($"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>Records the outcome of one attempt (saved at once: a crash loses at most this one mark).</summary>
    private async Task RecordAsync(IdentityHubDbContext db, string owner, OutboxMessage message, DeliveryAttempt attempt)
    {
        if (!attempt.Delivered)
        {
            await FailedAsync(db, owner, message, attempt);
            return;
        }
        var sentAt = clock.GetUtcNow().UtcDateTime;
        var attempts = message.Attempts + 1;
        // The server accepted it: sent, whoever holds the lease by now.
        await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, OutboxStatus.Sent)
            .SetProperty(m => m.SentAt, sentAt).SetProperty(m => m.Attempts, attempts).SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.ResponseStatus, attempt.Status)
            .SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), CancellationToken.None);
        LogSent(logger, message.Id, message.Kind, attempts);
    }

    /// <summary>
    /// A failed attempt: retried after a backoff, or marked failed after the last attempt, or at once when the
    /// receiver refused the message itself.
    /// </summary>
    private async Task FailedAsync(IdentityHubDbContext db, string owner, OutboxMessage message, DeliveryAttempt attempt)
    {
        var error = Truncate(attempt.Error ?? "", 500);
        var attempts = message.Attempts + 1;
        var final = !attempt.Retry || attempts >= options.Value.MaxAttempts;
        metrics.DeliveryFailed(final);
        var delay = Backoff(attempts);
        var next = final ? message.NextAttemptAt : clock.GetUtcNow().UtcDateTime + delay;
        await db.Outbox.Where(m => m.Id == message.Id && m.LeaseOwner == owner).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.Status, final ? OutboxStatus.Failed : OutboxStatus.Pending).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.LastError, error).SetProperty(m => m.ResponseStatus, attempt.Status)
            .SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseExpiresAt, (DateTime?)null),
            CancellationToken.None);
        if (final)
        {
            LogGaveUp(logger, message.Id, attempts, error);
        }
        else
        {
            LogRetry(logger, message.Id, attempts, delay, error);
        }
    }

    /// <summary>The outbox depth gauge: messages still pending (due now or waiting for a retry) after this pass.</summary>
    private async Task CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>();
        metrics.OutboxDepth(await db.Outbox.LongCountAsync(m => m.Status == OutboxStatus.Pending && m.Kind != SecurityEventTokens.PollKind, cancellationToken));
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

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Outbox message {MessageId} failed for good after {Attempts} attempt(s): {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid messageId, int attempts, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The outbox could not be read")]
    private static partial void LogLoopFailure(ILogger logger, Exception exception);
}
