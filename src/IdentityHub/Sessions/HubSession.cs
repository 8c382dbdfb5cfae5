namespace IdentityHub.Sessions;

/// <summary>
/// A sign-in session: created when a user signs in (page or password grant), named by the <c>sid</c> claim of every
/// token derived from it. Revoking it ends the browser session and makes every token carrying its id unusable at
/// once (account API, refresh, userinfo, introspection), independently of OpenIddict's own token entries. A session
/// is active only while it is not revoked, its <see cref="SecurityStamp"/> is still the user's, and it is within
/// its absolute and idle lifetimes (<see cref="SessionLifetimeOptions"/>); see <see cref="SessionService.IsActiveAsync"/>.
/// </summary>
public sealed class HubSession
{
    /// <summary>The session id (<c>sid</c>), 128 random bits, base64url.</summary>
    public string Id { get; set; } = "";

    /// <summary>The account signed in.</summary>
    public Guid UserId { get; set; }

    /// <summary>The tenant of that account.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The client the sign-in happened for, if any.</summary>
    public string? ClientId { get; set; }

    /// <summary>When the user last proved their password in this session (UTC): the <c>auth_time</c>.</summary>
    public DateTime AuthenticatedAt { get; set; }

    /// <summary>When the session was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The user's security stamp when the password that started this session was verified. A password change
    /// rotates the user's stamp, so every session started under the old password stops being active, including a
    /// sign-in that verified the old password but only wrote its session after the change committed.
    /// </summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>When the session was last used (UTC): a refresh, an account API call or a page visit, to the minute.</summary>
    public DateTime LastUsedAt { get; set; }

    /// <summary>The remote IP address of the sign-in that started the session, shown on the person's security page.</summary>
    public string? IpAddress { get; set; }

    /// <summary>
    /// The User-Agent of the sign-in that started the session, cut to <see cref="MaxUserAgentLength"/> characters:
    /// what the security page shows as device and browser.
    /// </summary>
    public string? UserAgent { get; set; }

    /// <summary>How much of a User-Agent header a session keeps.</summary>
    public const int MaxUserAgentLength = 256;

    /// <summary>When the session was revoked (UTC), null while active.</summary>
    public DateTime? RevokedAt { get; set; }
}
