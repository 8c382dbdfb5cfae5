namespace IdentityHub.Audit;

/// <summary>
/// Where a request came from, as the host saw it: recorded in audit events and shown in notifications.
/// </summary>
/// <param name="ClientId">The OAuth client id, if the request carried a token issued to a client.</param>
/// <param name="IpAddress">The remote IP address.</param>
/// <param name="UserAgent">The User-Agent header.</param>
/// <param name="SessionId">The sign-in session (<c>sid</c>) of the credential, if any.</param>
public sealed record RequestOrigin(string? ClientId, string? IpAddress, string? UserAgent, string? SessionId)
{
    /// <summary>An origin with nothing known, for work not started by a request.</summary>
    public static RequestOrigin None { get; } = new(null, null, null, null);
}
