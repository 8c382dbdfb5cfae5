namespace IdentityHub.Sessions;

/// <summary>
/// A sign-in session: created when a user signs in (page or password grant), named by the <c>sid</c> claim of every
/// token derived from it. Revoking it ends the browser session and makes every access token carrying its id
/// unusable at the account API at once, independently of OpenIddict's own token entries.
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

    /// <summary>When the session was revoked (UTC), null while active.</summary>
    public DateTime? RevokedAt { get; set; }
}
