namespace IdentityHub.Client;

/// <summary>Default values of <see cref="IdentityHubLogoutOptions"/>.</summary>
public static class IdentityHubLogoutDefaults
{
    /// <summary>The scheme the receiver is registered under.</summary>
    public const string AuthenticationScheme = "IdentityHubLogout";

    /// <summary>Where the provider posts logout tokens (register <c>&lt;app&gt;/backchannel-logout</c> as the client's back-channel logout URI).</summary>
    public const string BackchannelLogoutPath = "/backchannel-logout";

    /// <summary>Where a Shared Signals transmitter pushes Security Event Tokens (the stream's push endpoint).</summary>
    public const string SecurityEventsPath = "/security-events";

    /// <summary>The <c>typ</c> header of a logout token.</summary>
    public const string LogoutTokenType = "logout+jwt";

    /// <summary>The <c>typ</c> header of a Security Event Token.</summary>
    public const string SecurityEventTokenType = "secevent+jwt";

    /// <summary>The event a logout token carries in its <c>events</c> claim.</summary>
    public const string BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>CAEP: the subject's sessions were revoked.</summary>
    public const string SessionRevokedEvent = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

    /// <summary>CAEP: a credential of the subject changed (a password change ends the subject's sessions).</summary>
    public const string CredentialChangeEvent = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
}
