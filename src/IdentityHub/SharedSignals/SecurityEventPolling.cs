using IdentityHub.Notifications;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.SharedSignals;

/// <summary>
/// Poll delivery (RFC 8936) of a poll stream's SETs, which wait in the outbox: each poll first records the receiver's
/// acknowledgements (delivered, <see cref="OutboxMessage.SentAt"/>) and errors (failed, with its <c>err</c> and
/// <c>description</c>), then answers the oldest SETs still waiting, freshly signed, and whether more are waiting. A SET
/// is answered again until it is acknowledged; held ones (a paused stream) are not answered.
/// </summary>
public sealed class SecurityEventPolling(
    IdentityHubDbContext db, SecurityEventStreams streams, SecurityEventTokens tokens, IOptions<SharedSignalsOptions> options, TimeProvider clock)
{
    /// <summary>Acknowledges, records errors, and returns up to <see cref="PollRequest.MaxEvents"/> waiting SETs.</summary>
    public async Task<StreamOutcome<PollResult>> PollAsync(StreamReceiver receiver, string? streamId, PollRequest request, CancellationToken cancellationToken)
    {
        if (await streams.FindAsync(receiver, streamId, cancellationToken) is not { } stream)
        {
            return StreamOutcome<PollResult>.Fail(StreamError.NotFound, "No such stream.");
        }
        if (stream.DeliveryMethod != SharedSignalsConstants.PollMethod)
        {
            return StreamOutcome<PollResult>.Fail(StreamError.InvalidRequest, "The stream is not a poll stream.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var address = SecurityEventTokens.StreamAddress(stream.Id);
        var waiting = db.Outbox.Where(m => m.ToAddress == address && m.Kind == SecurityEventTokens.PollKind && m.Status == OutboxStatus.Pending);
        var acks = Ids(request.Ack);
        if (acks.Count > 0)
        {
            await waiting.Where(m => acks.Contains(m.Id)).ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, OutboxStatus.Sent)
                .SetProperty(m => m.SentAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        }
        foreach (var (jti, error) in request.SetErrors)
        {
            if (Guid.TryParseExact(jti, "N", out var id))
            {
                var text = $"{error.Err}: {error.Description}";
                text = text.Length <= 500 ? text : text[..500];
                await waiting.Where(m => m.Id == id).ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, OutboxStatus.Failed)
                    .SetProperty(m => m.LastError, text).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
            }
        }
        var max = Math.Clamp(request.MaxEvents ?? options.Value.MaxPollEvents, 0, options.Value.MaxPollEvents);
        var due = await waiting.AsNoTracking().Where(m => m.NextAttemptAt <= now).OrderBy(m => m.CreatedAt).Take(max + 1).ToListAsync(cancellationToken);
        var issuedAt = clock.GetUtcNow();
        var sets = due.Take(max).ToDictionary(m => m.Id.ToString("N"), m => tokens.Sign(m, issuedAt), StringComparer.Ordinal);
        return StreamOutcome<PollResult>.Ok(new PollResult(sets, due.Count > max));
    }

    private static List<Guid> Ids(IReadOnlyList<string> jtis) =>
        [.. jtis.Select(j => Guid.TryParseExact(j, "N", out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().Take(1000)];
}

/// <summary>A poll (RFC 8936 section 2.4): how many SETs at most, and what the receiver acknowledges or refuses.</summary>
public sealed record PollRequest(int? MaxEvents, IReadOnlyList<string> Ack, IReadOnlyDictionary<string, PollSetError> SetErrors);

/// <summary>A receiver's refusal of one SET (RFC 8936 <c>setErrs</c>).</summary>
public sealed record PollSetError(string? Err, string? Description);

/// <summary>A poll's answer: the SETs by <c>jti</c>, and whether more are waiting.</summary>
public sealed record PollResult(IReadOnlyDictionary<string, string> Sets, bool MoreAvailable);
