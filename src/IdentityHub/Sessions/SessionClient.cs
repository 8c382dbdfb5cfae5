namespace IdentityHub.Sessions;

/// <summary>
/// A client that received tokens of a session: written once per session and client when the authorization endpoint
/// issues a code or the password grant issues tokens (a refresh keeps its client, so it adds nothing). When the session
/// ends, these are the relying parties told so by back-channel logout; a client that never got tokens of the session
/// has no row and is never told. Deleted with its session.
/// </summary>
public sealed class SessionClient
{
    /// <summary>The session (<see cref="HubSession.Id"/>, the tokens' <c>sid</c>).</summary>
    public string SessionId { get; set; } = "";

    /// <summary>The client's <c>client_id</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// The issuer the client's tokens named (<c>iss</c>): the configured issuer, or the address the request came to.
    /// A logout token carries the same value, so the client recognises it without the server being configured with one.
    /// </summary>
    public string Issuer { get; set; } = "";
}
