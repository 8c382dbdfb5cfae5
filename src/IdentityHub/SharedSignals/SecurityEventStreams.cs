using System.Security.Cryptography;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.SharedSignals;

/// <summary>
/// Stream management (SSF 1.0 section 8.1) for one receiver: create, read, list, update, replace, delete, status and
/// verification. A receiver only ever finds its own streams (of its own client and tenant): any other stream id is
/// not found. A status change applies to the SETs still waiting: paused holds them, enabled releases them, disabled
/// (and deletion) drops them (marked failed, never delivered).
/// </summary>
public sealed class SecurityEventStreams(IdentityHubDbContext db, OutboxSignal outbox, IOptions<SharedSignalsOptions> options, TimeProvider clock)
{
    private const int MaxDescription = 500, MaxHeader = 2000, MaxUrl = 2000, MaxState = 500;

    /// <summary>The receiver's streams, oldest first.</summary>
    public async Task<IReadOnlyList<SecurityEventStream>> ListAsync(StreamReceiver receiver, CancellationToken cancellationToken) =>
        await Own(receiver).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>One of the receiver's streams.</summary>
    public async Task<StreamOutcome<SecurityEventStream>> GetAsync(StreamReceiver receiver, string? streamId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(streamId) ? MissingId<SecurityEventStream>()
        : await FindAsync(receiver, streamId, cancellationToken) is { } stream ? StreamOutcome<SecurityEventStream>.Ok(stream) : NotFound();

    /// <summary>Creates a stream, enabled, with a fresh id and pseudonym secret.</summary>
    public async Task<StreamOutcome<SecurityEventStream>> CreateAsync(StreamReceiver receiver, StreamInput input, CancellationToken cancellationToken)
    {
        if (await Own(receiver).CountAsync(cancellationToken) >= options.Value.MaxStreamsPerClient)
        {
            return StreamOutcome<SecurityEventStream>.Fail(StreamError.TooManyStreams, $"A receiver may have {options.Value.MaxStreamsPerClient} streams.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var stream = new SecurityEventStream
        {
            Id = Guid.NewGuid(), ClientId = receiver.ClientId, TenantId = receiver.TenantId, Issuer = receiver.Issuer,
            OpaqueKey = RandomNumberGenerator.GetBytes(32), CreatedAt = now, UpdatedAt = now,
        };
        if (Apply(stream, input, replace: true) is { } problem)
        {
            return StreamOutcome<SecurityEventStream>.Fail(StreamError.InvalidRequest, problem);
        }
        db.SecurityEventStreams.Add(stream);
        await db.SaveChangesAsync(cancellationToken);
        return StreamOutcome<SecurityEventStream>.Ok(stream);
    }

    /// <summary>
    /// Updates (<paramref name="replace"/> false: the fields given) or replaces (every receiver-supplied field) a stream.
    /// SETs still waiting follow a new delivery method or endpoint.
    /// </summary>
    public async Task<StreamOutcome<SecurityEventStream>> UpdateAsync(StreamReceiver receiver, string? streamId, StreamInput input, bool replace,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(streamId))
        {
            return MissingId<SecurityEventStream>();
        }
        if (await FindAsync(receiver, streamId, cancellationToken, tracked: true) is not { } stream)
        {
            return NotFound();
        }
        if (Apply(stream, input, replace) is { } problem)
        {
            return StreamOutcome<SecurityEventStream>.Fail(StreamError.InvalidRequest, problem);
        }
        stream.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var push = stream.DeliveryMethod == SharedSignalsConstants.PushMethod;
        await Waiting(stream.Id).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.Kind, push ? SecurityEventTokens.PushKind : SecurityEventTokens.PollKind)
            .SetProperty(m => m.Destination, push ? stream.EndpointUrl : SharedSignalsConstants.PollMethod), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return StreamOutcome<SecurityEventStream>.Ok(stream);
    }

    /// <summary>Deletes a stream; its waiting SETs are dropped.</summary>
    public async Task<StreamOutcome<bool>> DeleteAsync(StreamReceiver receiver, string? streamId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(streamId))
        {
            return MissingId<bool>();
        }
        if (await FindAsync(receiver, streamId, cancellationToken) is not { } stream)
        {
            return StreamOutcome<bool>.Fail(StreamError.NotFound, "No such stream.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DropWaitingAsync(stream.Id, "The stream was deleted before delivery.", cancellationToken);
        await db.SecurityEventStreams.Where(s => s.Id == stream.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return StreamOutcome<bool>.Ok(true);
    }

    /// <summary>
    /// Sets a stream's status: <c>paused</c> holds its waiting SETs (and those of events to come), <c>enabled</c> makes
    /// the held ones due at once, <c>disabled</c> drops them (and no more are queued until it is enabled).
    /// </summary>
    public async Task<StreamOutcome<SecurityEventStream>> SetStatusAsync(StreamReceiver receiver, string? streamId, string? status, string? reason,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(streamId))
        {
            return MissingId<SecurityEventStream>();
        }
        if (await FindAsync(receiver, streamId, cancellationToken, tracked: true) is not { } stream)
        {
            return NotFound();
        }
        if (status is null || !SharedSignalsConstants.Statuses.Contains(status) || reason is { Length: > MaxDescription })
        {
            return StreamOutcome<SecurityEventStream>.Fail(StreamError.InvalidRequest, "status must be enabled, paused or disabled (reason at most 500 characters).");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        (stream.Status, stream.StatusReason, stream.UpdatedAt) = (status, reason, now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var held = SecurityEventTokens.HeldUntil;
        _ = status switch
        {
            SharedSignalsConstants.Paused => await Waiting(stream.Id).ExecuteUpdateAsync(set => set.SetProperty(m => m.NextAttemptAt, held), cancellationToken),
            SharedSignalsConstants.Enabled => await Waiting(stream.Id).Where(m => m.NextAttemptAt == held)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.NextAttemptAt, now), cancellationToken),
            _ => await DropWaitingAsync(stream.Id, "The stream was disabled before delivery.", cancellationToken),
        };
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return StreamOutcome<SecurityEventStream>.Ok(stream);
    }

    /// <summary>
    /// Queues the stream's verification SET (SSF 1.0 section 8.1.4) with the receiver's <paramref name="state"/>: held
    /// while the stream is paused, not sent while it is disabled.
    /// </summary>
    public async Task<StreamOutcome<bool>> VerifyAsync(StreamReceiver receiver, string? streamId, string? state, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(streamId))
        {
            return MissingId<bool>();
        }
        if (await FindAsync(receiver, streamId, cancellationToken) is not { } stream)
        {
            return StreamOutcome<bool>.Fail(StreamError.NotFound, "No such stream.");
        }
        if (state is { Length: > MaxState })
        {
            return StreamOutcome<bool>.Fail(StreamError.InvalidRequest, $"state may have at most {MaxState} characters.");
        }
        if (stream.Status != SharedSignalsConstants.Disabled)
        {
            var body = state is null ? [] : new System.Text.Json.Nodes.JsonObject { ["state"] = state };
            db.Outbox.Add(SecurityEventTokens.CreateMessage(stream, SharedSignalsConstants.Verification, SubjectIdentifiers.ForStream(stream), body,
                clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(cancellationToken);
            outbox.Notify();
        }
        return StreamOutcome<bool>.Ok(true);
    }

    /// <summary>One of the receiver's streams by its id (32 hex digits, or a hyphenated UUID), or null.</summary>
    internal async Task<SecurityEventStream?> FindAsync(StreamReceiver receiver, string? streamId, CancellationToken cancellationToken, bool tracked = false)
    {
        if (!Guid.TryParse(streamId, out var id))
        {
            return null;
        }
        var own = Own(receiver).Where(s => s.Id == id);
        return await (tracked ? own.AsTracking() : own).FirstOrDefaultAsync(cancellationToken);
    }

    private IQueryable<SecurityEventStream> Own(StreamReceiver receiver) =>
        db.SecurityEventStreams.AsNoTracking().Where(s => s.ClientId == receiver.ClientId && s.TenantId == receiver.TenantId);

    /// <summary>The stream's SETs not delivered yet.</summary>
    private IQueryable<OutboxMessage> Waiting(Guid streamId)
    {
        var address = SecurityEventTokens.StreamAddress(streamId);
        return db.Outbox.Where(m => m.ToAddress == address && m.Status == OutboxStatus.Pending
            && (m.Kind == SecurityEventTokens.PushKind || m.Kind == SecurityEventTokens.PollKind));
    }

    private Task<int> DropWaitingAsync(Guid streamId, string why, CancellationToken cancellationToken) =>
        Waiting(streamId).ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, OutboxStatus.Failed).SetProperty(m => m.LastError, why), cancellationToken);

    /// <summary>Applies the receiver-supplied fields; the problem when one is not acceptable.</summary>
    private static string? Apply(SecurityEventStream stream, StreamInput input, bool replace)
    {
        if (input.EventsRequested is { } events)
        {
            if (events.Count > 20 || events.Any(e => e is null || e.Length > 200))
            {
                return "events_requested must list at most 20 event type URIs.";
            }
            stream.EventsRequested = [.. events.Distinct(StringComparer.Ordinal)];
        }
        else if (replace)
        {
            stream.EventsRequested = [];
        }
        if (input.Format is not null || replace)
        {
            var format = input.Format ?? SharedSignalsConstants.IssSubFormat;
            if (!SharedSignalsConstants.Formats.Contains(format))
            {
                return "format must be iss_sub, email or opaque.";
            }
            stream.Format = format;
        }
        if (input.Description is { Length: > MaxDescription })
        {
            return $"description may have at most {MaxDescription} characters.";
        }
        if (input.Description is not null || replace)
        {
            stream.Description = input.Description;
        }
        return input.HasDelivery || replace ? ApplyDelivery(stream, input) : null;
    }

    private static string? ApplyDelivery(SecurityEventStream stream, StreamInput input)
    {
        var method = input.Method ?? SharedSignalsConstants.PollMethod;
        if (method == SharedSignalsConstants.PollMethod)
        {
            // The transmitter supplies a poll stream's endpoint_url (its own poll endpoint); the receiver's is ignored.
            (stream.DeliveryMethod, stream.EndpointUrl, stream.AuthorizationHeader) = (method, null, null);
            return null;
        }
        if (method != SharedSignalsConstants.PushMethod)
        {
            return $"delivery.method must be {SharedSignalsConstants.PushMethod} or {SharedSignalsConstants.PollMethod}.";
        }
        if (string.IsNullOrEmpty(input.EndpointUrl) || input.EndpointUrl.Length > MaxUrl)
        {
            return "delivery.endpoint_url is required for push delivery.";
        }
        if (input.AuthorizationHeader is { Length: > MaxHeader } || input.AuthorizationHeader?.Any(char.IsControl) == true)
        {
            return "delivery.authorization_header is too long or has control characters.";
        }
        (stream.DeliveryMethod, stream.EndpointUrl, stream.AuthorizationHeader) = (method, input.EndpointUrl, input.AuthorizationHeader);
        return null;
    }

    private static StreamOutcome<T> MissingId<T>() => StreamOutcome<T>.Fail(StreamError.InvalidRequest, "stream_id is required.");

    private static StreamOutcome<SecurityEventStream> NotFound() => StreamOutcome<SecurityEventStream>.Fail(StreamError.NotFound, "No such stream.");
}
