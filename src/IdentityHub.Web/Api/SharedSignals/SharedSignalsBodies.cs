using System.Text.Json.Serialization;
using IdentityHub.SharedSignals;

namespace IdentityHub.Web.Api.SharedSignals;

/// <summary>The transmitter's configuration document (SSF 1.0 section 7.1), at <c>/.well-known/ssf-configuration</c>.</summary>
internal sealed record TransmitterConfiguration(
    [property: JsonPropertyName("spec_version")] string SpecVersion,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("delivery_methods_supported")] IReadOnlyList<string> DeliveryMethodsSupported,
    [property: JsonPropertyName("configuration_endpoint")] string ConfigurationEndpoint,
    [property: JsonPropertyName("status_endpoint")] string StatusEndpoint,
    [property: JsonPropertyName("verification_endpoint")] string VerificationEndpoint,
    [property: JsonPropertyName("authorization_schemes")] IReadOnlyList<AuthorizationScheme> AuthorizationSchemes,
    [property: JsonPropertyName("default_subjects")] string DefaultSubjects);

/// <summary>An authorization scheme of the management endpoints: OAuth 2.0 (RFC 6749), client credentials.</summary>
internal sealed record AuthorizationScheme([property: JsonPropertyName("spec_urn")] string SpecUrn);

/// <summary>A stream's configuration as the receiver reads it (SSF 1.0 section 8.1.1); never its authorization header.</summary>
internal sealed record StreamConfiguration(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("iss")] string Iss,
    [property: JsonPropertyName("aud")] string Aud,
    [property: JsonPropertyName("events_supported")] IReadOnlyList<string> EventsSupported,
    [property: JsonPropertyName("events_requested")] IReadOnlyList<string> EventsRequested,
    [property: JsonPropertyName("events_delivered")] IReadOnlyList<string> EventsDelivered,
    [property: JsonPropertyName("delivery")] StreamDelivery Delivery,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description)
{
    public static StreamConfiguration From(SecurityEventStream stream) => new(
        stream.Id.ToString("N"), stream.Issuer, stream.ClientId, SharedSignalsConstants.EventsSupported, stream.EventsRequested, stream.EventsDelivered,
        new StreamDelivery(stream.DeliveryMethod,
            stream.DeliveryMethod == SharedSignalsConstants.PollMethod ? $"{stream.Issuer.TrimEnd('/')}{SharedSignalsApi.PollPath}/{stream.Id:N}" : stream.EndpointUrl),
        stream.Format, stream.Description);
}

/// <summary>How a stream's SETs are delivered: the method, and the endpoint (the receiver's for push, ours for poll).</summary>
internal sealed record StreamDelivery(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("endpoint_url")] string? EndpointUrl);

/// <summary>What a receiver writes to create, update or replace a stream (documentation; the endpoint reads the JSON itself).</summary>
internal sealed record StreamWrite(
    [property: JsonPropertyName("stream_id")] string? StreamId,
    [property: JsonPropertyName("events_requested")] IReadOnlyList<string>? EventsRequested,
    [property: JsonPropertyName("delivery")] StreamDeliveryWrite? Delivery,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>The delivery a receiver asks for; <c>authorization_header</c> is sent with each push and never answered back.</summary>
internal sealed record StreamDeliveryWrite(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("endpoint_url")] string? EndpointUrl,
    [property: JsonPropertyName("authorization_header")] string? AuthorizationHeader);

/// <summary>A stream's status (SSF 1.0 section 8.1.2), read or written.</summary>
internal sealed record StreamStatusBody(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

/// <summary>A verification request (SSF 1.0 section 8.1.4).</summary>
internal sealed record VerificationWrite(
    [property: JsonPropertyName("stream_id")] string StreamId,
    [property: JsonPropertyName("state")] string? State);

/// <summary>A poll (RFC 8936 section 2.4).</summary>
internal sealed record PollWrite(
    [property: JsonPropertyName("maxEvents")] int? MaxEvents,
    [property: JsonPropertyName("returnImmediately")] bool? ReturnImmediately,
    [property: JsonPropertyName("ack")] IReadOnlyList<string>? Ack,
    [property: JsonPropertyName("setErrs")] IReadOnlyDictionary<string, PollErrorWrite>? SetErrs);

/// <summary>A receiver's refusal of one polled SET.</summary>
internal sealed record PollErrorWrite(
    [property: JsonPropertyName("err")] string? Err,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>A poll's answer (RFC 8936 section 2.5).</summary>
internal sealed record PollAnswer(
    [property: JsonPropertyName("sets")] IReadOnlyDictionary<string, string> Sets,
    [property: JsonPropertyName("moreAvailable")] bool MoreAvailable);

/// <summary>Every refusal of the Shared Signals endpoints: an error code and a description (the RFC 8935/8936 shape).</summary>
internal sealed record SharedSignalsError(
    [property: JsonPropertyName("err")] string Err,
    [property: JsonPropertyName("description")] string Description);
