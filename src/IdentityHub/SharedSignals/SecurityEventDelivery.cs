using System.Net.Http.Headers;
using IdentityHub.Notifications;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.SharedSignals;

/// <summary>
/// Pushes one SET (RFC 8935): a POST of the signed token as <c>application/secevent+jwt</c> to the endpoint stored
/// with the message, with the stream's <c>authorization_header</c>, through <see cref="TokenPush"/>. 202 (any 2xx) is
/// delivered; a 400 fails at once and keeps the receiver's <c>err</c> and <c>description</c>; 5xx, 408, 429, a timeout or
/// no connection are retried with the outbox's backoff. A SET of a deleted stream fails; of a stream paused since it was
/// claimed, it waits for another attempt.
/// </summary>
public sealed class SecurityEventDelivery(
    IdentityHubDbContext db, SecurityEventTokens tokens, TokenPush push, IOptions<SharedSignalsOptions> options, IOptions<MailOptions> outbox,
    TimeProvider clock)
{
    /// <summary>How long one attempt may take: <see cref="SharedSignalsOptions.Timeout"/>, at most half the outbox's lease.</summary>
    public TimeSpan Timeout => outbox.Value.WithinLease(options.Value.Timeout);

    /// <summary>Signs a fresh SET for <paramref name="message"/> and posts it to its stream's endpoint.</summary>
    public async Task<DeliveryAttempt> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var streamId = Guid.TryParseExact(message.ToAddress, "N", out var id) ? id : Guid.Empty;
        var stream = await db.SecurityEventStreams.AsNoTracking().Where(s => s.Id == streamId)
            .Select(s => new { s.Status, s.AuthorizationHeader }).FirstOrDefaultAsync(cancellationToken);
        if (stream is null || stream.Status == SharedSignalsConstants.Disabled)
        {
            return new DeliveryAttempt(false, false, null, "The stream was deleted or disabled.");
        }
        if (stream.Status == SharedSignalsConstants.Paused)
        {
            return DeliveryAttempt.Transient("The stream is paused.");
        }
        using var content = new StringContent(tokens.Sign(message, clock.GetUtcNow()));
        content.Headers.ContentType = new MediaTypeHeaderValue(SharedSignalsConstants.MediaType);
        return await push.PostAsync(new PushRequest(new Uri(message.Destination!, UriKind.Absolute), content, "IdentityHub-SharedSignals",
            stream.AuthorizationHeader, ReadRefusal: true), Timeout, cancellationToken);
    }
}
