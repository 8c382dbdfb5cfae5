namespace IdentityHub.Web.Connect;

/// <summary>
/// An OAuth client as an operator defines it, whichever way it comes (the seed, the admin API, the command line), and as
/// <see cref="ClientRules"/> reads it back from OpenIddict. Never holds a secret.
/// </summary>
internal sealed record ClientDefinition
{
    /// <summary>The client_id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Display name shown on pages; the client id when absent.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The tenant the client is bound to; null for a client of every tenant.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>A public client (no secret) rather than a confidential one.</summary>
    public bool IsPublic { get; init; }

    /// <summary>Grant types: <c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>, <c>password</c>.</summary>
    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    /// <summary>Absolute redirect URIs (authorization code flow).</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>Absolute post-logout redirect URIs.</summary>
    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>Scopes the client may request (<c>openid</c> and <c>offline_access</c> need no entry and are not stored).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Resources (RFC 8707) the client may name, beyond the account API's audience the <c>account</c> scope brings.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Exact browser origins the client's scripts call from (CORS).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>May re-authenticate its users for step-up tokens.</summary>
    public bool StepUp { get; init; }

    /// <summary>Asks the user's consent before the first authorization.</summary>
    public bool RequireConsent { get; init; }

    /// <summary>Requires PKCE; null for the default (public clients yes, confidential ones no).</summary>
    public bool? RequirePkce { get; init; }

    /// <summary>An administrator client (the admin API, with the <c>admin</c> scope and client credentials).</summary>
    public bool Admin { get; init; }

    /// <summary>Where the client receives back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0); null for none.</summary>
    public string? BackchannelLogoutUri { get; init; }

    /// <summary>The client needs the <c>sid</c> claim in its logout tokens (it is always sent).</summary>
    public bool BackchannelLogoutSessionRequired { get; init; }
}
