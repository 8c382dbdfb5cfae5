using System.Security.Claims;
using IdentityHub.Accounts;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// The user claims the granted scopes release (<see cref="ScopeClaims"/>), read fresh from the user's record: the
/// same values go into the ID token, the access token and the userinfo answer. A user belongs to one tenant, so
/// every value (roles included) is that tenant's.
/// </summary>
internal sealed class UserClaims(UserManager<HubUser> users, IOptions<ServerOptions> server)
{
    /// <summary>The released claims and their values (a string, a boolean, seconds since the epoch, or the roles); empty values are left out.</summary>
    public async Task<Dictionary<string, object>> ReleasedAsync(HubUser user, IEnumerable<string> scopes)
    {
        var released = ScopeClaims.ReleasedBy(server.Value, scopes);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var type in released)
        {
            object? value = type switch
            {
                Claims.Name => user.DisplayName ?? user.Email,
                Claims.Locale => user.Locale,
                Claims.UpdatedAt => new DateTimeOffset(user.UpdatedAt, TimeSpan.Zero).ToUnixTimeSeconds(),
                Claims.Email => user.Email,
                Claims.EmailVerified => user.EmailConfirmed,
                Claims.Role => (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToArray(),
                _ => null,
            };
            if (value is not (null or "" or string[] { Length: 0 }))
            {
                values[type] = value;
            }
        }
        return values;
    }

    /// <summary>
    /// Puts the released claims on a token principal built by <see cref="HubClaims.CreateIdentity"/> (its scopes set)
    /// and routes them: the session claims and the released claims into both tokens, nothing else into any.
    /// </summary>
    public async Task AddToAsync(ClaimsPrincipal principal, HubUser user)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var type in ScopeClaims.Releasable)
        {
            identity.RemoveClaims(type);
        }
        foreach (var (type, value) in await ReleasedAsync(user, principal.GetScopes()))
        {
            _ = value switch
            {
                string text => identity.SetClaim(type, text),
                bool flag => identity.SetClaim(type, flag),
                long number => identity.SetClaim(type, number),
                string[] list => identity.SetClaims(type, [.. list]),
                _ => throw new InvalidOperationException($"No claim value type for {type}."),
            };
        }
        principal.SetDestinations(claim => ScopeClaims.Session.Contains(claim.Type, StringComparer.Ordinal) || ScopeClaims.Releasable.Contains(claim.Type, StringComparer.Ordinal)
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            // Never copy anything else (e.g. the security stamp ASP.NET Core may add) into a token.
            : []);
    }
}
