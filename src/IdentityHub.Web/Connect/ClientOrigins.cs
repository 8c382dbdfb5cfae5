using System.Collections.Frozen;
using System.Text.Json;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Connect;

/// <summary>
/// The browser origins each client may call from (seed setting <c>AllowedOrigins</c>, like Keycloak's "Web Origins"
/// and Duende's <c>AllowedCorsOrigins</c>), and the union of them all, which CORS answers to.
/// </summary>
/// <remarks>
/// Stored as a custom property of the OpenIddict application (<c>"allowed_origins": ["https://app.example"]</c>), like
/// <see cref="AdminClient"/>'s flag. The union is read from the store at most once a minute, so a client's origins
/// removed from configuration stop being answered within a minute of the next start at the latest.
/// </remarks>
internal sealed class ClientOrigins(TimeProvider clock)
{
    public const string PropertyName = "allowed_origins";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private Snapshot? cached;

    /// <summary>
    /// True for an exact origin as a browser sends it in <c>Origin</c>: <c>http</c> or <c>https</c>, a host, an optional
    /// port, in lower case, and nothing else (no path, query, user info, wildcard, trailing slash or <c>null</c>).
    /// </summary>
    public static bool IsExactOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        uri.Scheme is "http" or "https" &&
        uri.UserInfo.Length == 0 &&
        !value.Contains('*', StringComparison.Ordinal) &&
        string.Equals(value, uri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);

    /// <summary>True when some client lists <paramref name="origin"/> (exact, ordinal comparison).</summary>
    public async Task<bool> IsAllowedAsync(string origin, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var snapshot = cached;
        if (snapshot is null || snapshot.Expires <= now)
        {
            snapshot = new Snapshot(await LoadAsync(applications, cancellationToken), now + Lifetime);
            cached = snapshot;
        }
        return snapshot.Origins.Contains(origin);
    }

    /// <summary>Reads the union again at the next request: a client's origins changed in this process (the admin API).</summary>
    public void Forget() => cached = null;

    private static async Task<FrozenSet<string>> LoadAsync(IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var origins = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            var properties = await applications.GetPropertiesAsync(application, cancellationToken);
            if (properties.TryGetValue(PropertyName, out var value) && value.ValueKind == JsonValueKind.Array)
            {
                origins.UnionWith(value.EnumerateArray().Select(e => e.GetString()).OfType<string>().Where(IsExactOrigin));
            }
        }
        return origins.ToFrozenSet(StringComparer.Ordinal);
    }

    private sealed record Snapshot(FrozenSet<string> Origins, DateTimeOffset Expires);
}
