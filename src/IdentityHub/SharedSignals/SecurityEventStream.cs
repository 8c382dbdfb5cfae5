namespace IdentityHub.SharedSignals;

/// <summary>
/// A Shared Signals Framework 1.0 event stream: what one receiver (an OAuth client of one tenant) asked to be told
/// about that tenant's users, and how (push to its endpoint, or poll). Created and changed by the receiver through
/// stream management; every event of the tenant a stream requested becomes one outbox message per stream.
/// </summary>
public sealed class SecurityEventStream
{
    /// <summary>The stream's id (<c>stream_id</c>, its 32 hex digits).</summary>
    public Guid Id { get; set; }

    /// <summary>The receiver: the client whose client-credentials tokens manage the stream, and the SETs' <c>aud</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client's tenant: the only tenant whose subjects the stream is ever told about.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The issuer the receiver created the stream at (<c>iss</c> of its SETs, and of its <c>iss_sub</c> subjects).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The delivery method: <see cref="SharedSignalsConstants.PushMethod"/> or <see cref="SharedSignalsConstants.PollMethod"/>.</summary>
    public string DeliveryMethod { get; set; } = SharedSignalsConstants.PushMethod;

    /// <summary>For push: the receiver's endpoint (https outside Development); null for poll.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>For push: the <c>Authorization</c> header value sent with each SET, if the receiver gave one. Never answered back.</summary>
    public string? AuthorizationHeader { get; set; }

    /// <summary>The event types the receiver requested (<c>events_requested</c>).</summary>
    public List<string> EventsRequested { get; set; } = [];

    /// <summary>The subject identifier format of the stream's SETs: <c>iss_sub</c>, <c>email</c> or <c>opaque</c>.</summary>
    public string Format { get; set; } = SharedSignalsConstants.IssSubFormat;

    /// <summary>The stream's own secret (32 random bytes) that <c>opaque</c> subject identifiers are derived with.</summary>
    public byte[] OpaqueKey { get; set; } = [];

    /// <summary>The receiver's description, if any.</summary>
    public string? Description { get; set; }

    /// <summary><c>enabled</c>, <c>paused</c> (events are held) or <c>disabled</c> (events are dropped).</summary>
    public string Status { get; set; } = SharedSignalsConstants.Enabled;

    /// <summary>The reason given with the last status change, if any.</summary>
    public string? StatusReason { get; set; }

    /// <summary>When the stream was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the stream was last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>The requested event types this transmitter sends (<c>events_delivered</c>).</summary>
    public IReadOnlyList<string> EventsDelivered => [.. EventsRequested.Where(SharedSignalsConstants.EventsSupported.Contains).Distinct(StringComparer.Ordinal)];
}
