using System.Security.Claims;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Which clients are administrators (seed setting <c>Admin</c>), and whether an access token speaks for one.
/// </summary>
/// <remarks>
/// The flag is a custom property of the OpenIddict application (<c>"admin": true</c>), stored like
/// <see cref="ClientTenant"/>'s <c>tenant_id</c>, rather than a permission: OpenIddict gives meaning to permission
/// prefixes it enforces itself, whereas a property is plainly ours and read only by our code. The seed rewrites the
/// properties on every start, so removing <c>Admin</c> from configuration demotes the client at the next start, and
/// since the flag is read on every request, tokens issued before that stop working too.
/// </remarks>
internal static class AdminClient
{
    public const string PropertyName = "admin";

    /// <summary>The scope a client-credentials token of an administrator needs for the admin endpoints.</summary>
    public const string Scope = "admin";

    /// <summary>True when the client exists and is configured as an administrator.</summary>
    public static async Task<bool> IsAdminAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return false;
        }
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        return properties.TryGetValue(PropertyName, out var value) && value.ValueKind == JsonValueKind.True;
    }

    /// <summary>
    /// True when the validated access token is a client-credentials token (it speaks for the client itself: its
    /// subject is the client id and it names no sign-in session, unlike every user token) of an admin client.
    /// </summary>
    public static async Task<bool> IsAdminClientTokenAsync(ClaimsPrincipal principal, IOpenIddictApplicationManager applications, CancellationToken cancellationToken) =>
        ClientCredentialsClient(principal) is { } clientId && await IsAdminAsync(applications, clientId, cancellationToken);

    /// <summary>
    /// The client a validated client-credentials access token speaks for (its subject is the client id and it names no
    /// sign-in session, unlike every user token); null for a user's token.
    /// </summary>
    public static string? ClientCredentialsClient(ClaimsPrincipal principal)
    {
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        return string.IsNullOrEmpty(clientId) || !string.Equals(principal.GetClaim(Claims.Subject), clientId, StringComparison.Ordinal) ||
               principal.GetClaim(HubClaims.SessionId) is not null
            ? null
            : clientId;
    }
}
