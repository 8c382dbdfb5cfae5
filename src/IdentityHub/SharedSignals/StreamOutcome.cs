namespace IdentityHub.SharedSignals;

/// <summary>Why stream management refused a request; the edge answers each with the SSF status (400, 404, 409).</summary>
public enum StreamError
{
    /// <summary>The request is malformed or asks for something unsupported (400).</summary>
    InvalidRequest,

    /// <summary>No such stream of this receiver (404): another receiver's stream looks the same as none.</summary>
    NotFound,

    /// <summary>The receiver has as many streams as it may (409).</summary>
    TooManyStreams,
}

/// <summary>A stream management answer: the value, or the refusal with a description for the receiver.</summary>
public sealed record StreamOutcome<T>(T? Value, StreamError? Error = null, string? Description = null)
{
    /// <summary>True when the request succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Success.</summary>
    public static StreamOutcome<T> Ok(T value) => new(value);

    /// <summary>A refusal.</summary>
    public static StreamOutcome<T> Fail(StreamError error, string description) => new(default, error, description);
}

/// <summary>The receiver a stream management request speaks for: a client, its tenant, and the issuer it called.</summary>
public sealed record StreamReceiver(string ClientId, Guid TenantId, string Issuer);

/// <summary>
/// What a receiver supplies for a stream (SSF 1.0 section 8.1.1; <c>format</c> is IdentityHub's, from the SSE drafts):
/// on create and replace every field (a missing one takes its default), on update only the fields given.
/// </summary>
public sealed record StreamInput
{
    /// <summary><c>events_requested</c>.</summary>
    public IReadOnlyList<string>? EventsRequested { get; init; }

    /// <summary><c>delivery.method</c>.</summary>
    public string? Method { get; init; }

    /// <summary><c>delivery.endpoint_url</c> for push (checked by the edge: https outside Development).</summary>
    public string? EndpointUrl { get; init; }

    /// <summary><c>delivery.authorization_header</c> for push.</summary>
    public string? AuthorizationHeader { get; init; }

    /// <summary>True when the request had a <c>delivery</c> object (update: the delivery is replaced).</summary>
    public bool HasDelivery { get; init; }

    /// <summary><c>format</c>: <c>iss_sub</c> (default), <c>email</c> or <c>opaque</c>.</summary>
    public string? Format { get; init; }

    /// <summary><c>description</c>.</summary>
    public string? Description { get; init; }
}
