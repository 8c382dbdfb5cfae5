namespace IdentityHub.SharedSignals;

/// <summary>The identifiers of the Shared Signals Framework 1.0, CAEP 1.0, RFC 8935, RFC 8936 and RFC 9493 that IdentityHub uses.</summary>
public static class SharedSignalsConstants
{
    /// <summary>The scope a receiver's client-credentials token needs for stream management and polling.</summary>
    public const string ManageScope = "ssf.manage";

    /// <summary>CAEP: a credential of the subject was created, revoked, updated or deleted.</summary>
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

    /// <summary>CAEP: a session of the subject ended.</summary>
    public const string SessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

    /// <summary>SSF: the answer to a receiver's verification request, carrying its <c>state</c>.</summary>
    public const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    /// <summary>The event types a receiver may request.</summary>
    public static readonly IReadOnlyList<string> EventsSupported = [CredentialChange, SessionRevoked];

    /// <summary>Push delivery (RFC 8935).</summary>
    public const string PushMethod = "urn:ietf:rfc:8935";

    /// <summary>Poll delivery (RFC 8936).</summary>
    public const string PollMethod = "urn:ietf:rfc:8936";

    /// <summary>RFC 9493 subject identifier formats a stream may ask for.</summary>
    public const string IssSubFormat = "iss_sub", EmailFormat = "email", OpaqueFormat = "opaque";

    /// <summary>The formats a stream may ask for.</summary>
    public static readonly IReadOnlyList<string> Formats = [IssSubFormat, EmailFormat, OpaqueFormat];

    /// <summary>Stream statuses (SSF 1.0 section 8.1.2).</summary>
    public const string Enabled = "enabled", Paused = "paused", Disabled = "disabled";

    /// <summary>The statuses a stream may have.</summary>
    public static readonly IReadOnlyList<string> Statuses = [Enabled, Paused, Disabled];

    /// <summary>The JWT <c>typ</c> header of a Security Event Token.</summary>
    public const string TokenType = "secevent+jwt";

    /// <summary>The media type SETs are pushed with (RFC 8935 section 2).</summary>
    public const string MediaType = "application/secevent+jwt";
}
