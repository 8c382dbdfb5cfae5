using System.ComponentModel.DataAnnotations;
using IdentityHub.Passwords;

namespace IdentityHub.Web.Seeding;

/// <summary>
/// Data created at start-up when missing. Bound from <c>IdentityHub:Seed</c>, so a fixture can come from
/// appsettings, an extra JSON file (<c>IdentityHub:SettingsFile</c>) or environment variables
/// (<c>IdentityHub__Seed__Clients__0__ClientId=...</c>). Checked when the host starts, before the database is touched:
/// data annotations here, the rest (ids, password policies, Cedar policies, URIs) in <see cref="SeedOptionsValidator"/>.
/// </summary>
public sealed class SeedOptions
{
    /// <summary>Tenants with their users.</summary>
    [ValidateEnumeratedItems]
    public List<SeedTenant> Tenants { get; set; } = [];

    /// <summary>OAuth clients.</summary>
    [ValidateEnumeratedItems]
    public List<SeedClient> Clients { get; set; } = [];

    /// <summary>Extra API scopes beyond the built-in <c>openid profile email offline_access account roles</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}

/// <summary>A seeded tenant. Its name, locale and policy are brought in line with configuration when the seed is applied.</summary>
public sealed class SeedTenant
{
    /// <summary>The tenant's UUID. Required.</summary>
    public Guid Id { get; set; }

    /// <summary>Display name. Required.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>Default BCP 47 locale. Default <c>en</c>.</summary>
    public string DefaultLocale { get; set; } = "en";

    /// <summary>
    /// Password policy: a preset (<c>strict</c> by default) plus overrides. Its rules span fields (minimum below maximum,
    /// enough length for the required classes), so <see cref="PasswordPolicy.Resolve"/> checks it at start.
    /// </summary>
    public PasswordPolicyOptions PasswordPolicy { get; set; } = new();

    /// <summary>Cedar policies for account actions (text); empty keeps the default set, which allows self-service.</summary>
    public string? Policies { get; set; }

    /// <summary>Tenant attributes the policies can read (<c>Tenant</c> entity), e.g. <c>"change_freeze": "true"</c>.</summary>
    public Dictionary<string, string> Attributes { get; set; } = [];

    /// <summary>
    /// "Forgot password" sends a reset email only to a verified address; an unverified one gets none, with the same
    /// answer as an unknown email. Stored as the tenant attribute <c>require_verified_email_for_reset</c>. Default false.
    /// </summary>
    public bool RequireVerifiedEmailForReset { get; set; }

    /// <summary>Users of the tenant.</summary>
    [ValidateEnumeratedItems]
    public List<SeedUser> Users { get; set; } = [];
}

/// <summary>
/// A seeded user. Created once; an existing user (same tenant and email) is never modified, so a password changed
/// at run time survives restarts.
/// </summary>
public sealed class SeedUser
{
    /// <summary>Fixed id, optional (generated otherwise).</summary>
    public Guid? Id { get; set; }

    /// <summary>Email, the sign-in name within the tenant. Required.</summary>
    [Required]
    public string Email { get; set; } = "";

    /// <summary>Initial password. Leave empty for an account without a local password (external login only).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The initial password as a hash instead of <see cref="Password"/>, so that no plaintext sits in configuration: an
    /// ASP.NET Core Identity v3 hash, base64, as <c>PasswordHasher</c> writes it (another system's Identity database
    /// holds these). Stored as given; one at another cost than <c>Passwords:Hashing</c> is re-hashed at that cost at
    /// the user's first sign-in. It does not join the password history (the password itself is unknown).
    /// </summary>
    public string? PasswordHash { get; set; }

    /// <summary>
    /// The email counts as verified from the start (<c>email_verified: true</c> in tokens and userinfo). Default false:
    /// the user verifies it with the emailed link. Like the password, applied only when the user is created.
    /// </summary>
    public bool EmailVerified { get; set; }

    /// <summary>
    /// Created without a password, with an invitation email (once, when the user is created) whose link lets the person
    /// choose their password through the tenant's policy, which also verifies the email. Not with
    /// <see cref="Password"/> or <see cref="PasswordHash"/>. Set <c>IdentityHub:Server:Issuer</c> so that the link is
    /// absolute. Default false.
    /// </summary>
    public bool Invite { get; set; }

    /// <summary>Display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Preferred BCP 47 locale.</summary>
    public string? Locale { get; set; }

    /// <summary>
    /// Roles (ASP.NET Core Identity roles, created when missing), released as <c>role</c> claims with the <c>roles</c>
    /// scope. Unlike the other fields, added to an existing user whenever the seed is applied; a role given at run time is kept.
    /// </summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>A seeded OAuth client. Brought in line with configuration when the seed is applied; its secret is checked at every start.</summary>
public sealed class SeedClient
{
    /// <summary>The client_id. Required.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The secret; present means a confidential client, absent a public one.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Display name shown on pages.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Binds the client to one tenant: its users sign in there, and its tokens carry that tenant.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>Allowed grant types: <c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>, <c>password</c>.</summary>
    public List<string> GrantTypes { get; set; } = [];

    /// <summary>Allowed redirect URIs (authorization code flow).</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>Allowed post-logout redirect URIs.</summary>
    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>Scopes the client may request (<c>openid</c> and <c>offline_access</c> need no entry).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>
    /// Resources (RFC 8707) the client may name with the <c>resource</c> parameter; they must also be configured in
    /// <c>IdentityHub:Server:ScopeResources</c>. The account API's audience is allowed with the <c>account</c> scope.
    /// </summary>
    public List<string> Resources { get; set; } = [];

    /// <summary>
    /// May re-authenticate its users for step-up tokens (token exchange and the step-up grant). Default false: a
    /// client that never changes passwords should not turn a stolen access token into a password oracle.
    /// </summary>
    public bool StepUp { get; set; }

    /// <summary>Ask the user's consent (remembered per client) before the first authorization. Default false.</summary>
    public bool RequireConsent { get; set; }

    /// <summary>Require PKCE. Default: true for public clients, false for confidential ones.</summary>
    public bool? RequirePkce { get; set; }

    /// <summary>
    /// An administrator client: its client-credentials tokens (with the <c>admin</c> scope) may call the admin
    /// endpoints (<c>POST /v1/admin/policies/evaluate</c>). User tokens never can, whatever their scopes. Default false.
    /// </summary>
    public bool Admin { get; set; }

    /// <summary>
    /// Browser origins (<c>scheme://host[:port]</c>, exact, lower case) the client's scripts call from: discovery, JWKS,
    /// token, userinfo, revocation, introspection and the account API answer CORS for them. Default none.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// OpenID Connect Back-Channel Logout: the client's endpoint that receives a logout token (a form POST of
    /// <c>logout_token</c>) whenever a session it got tokens of ends. Absolute; <c>https</c> outside Development; no
    /// fragment. The only address ever called for the client. Default none (the client is not told).
    /// </summary>
    public string? BackchannelLogoutUri { get; set; }

    /// <summary>
    /// The client needs <c>sid</c> in its logout tokens (<c>backchannel_logout_session_required</c>). IdentityHub always
    /// sends <c>sid</c> and <c>sub</c>, so this is recorded with the client and satisfied either way. Default false.
    /// </summary>
    public bool BackchannelLogoutSessionRequired { get; set; }
}
