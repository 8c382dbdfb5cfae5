using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Which user claims each scope releases, into the ID token, the access token and the userinfo answer alike. The
/// defaults below; <c>IdentityHub:Server:ScopeClaims</c> replaces a default scope's set or adds a scope (checked at
/// start by <see cref="ScopeClaimsValidator"/>: only the claims below can be released, since only they are issued).
/// </summary>
internal static class ScopeClaims
{
    /// <summary>The scope that releases the user's roles (<c>role</c>).</summary>
    public const string RolesScope = "roles";

    /// <summary>The user claims a scope can release: the only ones <see cref="UserClaims"/> knows how to issue.</summary>
    public static readonly string[] Releasable = [Claims.Name, Claims.Locale, Claims.UpdatedAt, Claims.Email, Claims.EmailVerified, Claims.Role];

    /// <summary>The claims of every user token whatever its scopes: who, which tenant, which session, when and how.</summary>
    public static readonly string[] Session = [Claims.Subject, HubClaims.TenantId, HubClaims.SessionId, Claims.AuthenticationTime, Claims.AuthenticationMethodReference];

    private static readonly Dictionary<string, string[]> Defaults = new(StringComparer.Ordinal)
    {
        [Scopes.Profile] = [Claims.Name, Claims.Locale, Claims.UpdatedAt],
        [Scopes.Email] = [Claims.Email, Claims.EmailVerified],
        [RolesScope] = [Claims.Role],
    };

    /// <summary>The defaults, with each configured scope's set in place of its default.</summary>
    public static IReadOnlyDictionary<string, string[]> Effective(ServerOptions server)
    {
        var effective = new Dictionary<string, string[]>(Defaults, StringComparer.Ordinal);
        foreach (var (scope, claims) in server.ScopeClaims)
        {
            effective[scope] = claims;
        }
        return effective;
    }

    /// <summary>The claim types the granted scopes release.</summary>
    public static HashSet<string> ReleasedBy(ServerOptions server, IEnumerable<string> scopes)
    {
        var map = Effective(server);
        return scopes.SelectMany(scope => map.TryGetValue(scope, out var claims) ? claims : []).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every claim a user token or userinfo answer can carry, for discovery's <c>claims_supported</c>.</summary>
    public static IEnumerable<string> Supported(ServerOptions server) =>
        Session.Concat(Effective(server).Values.SelectMany(c => c)).Distinct(StringComparer.Ordinal);
}
