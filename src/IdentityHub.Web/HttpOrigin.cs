using IdentityHub.Audit;
using IdentityHub.Notifications;

namespace IdentityHub.Web;

/// <summary>What the core needs to know about the HTTP request behind an action.</summary>
internal static class HttpOrigin
{
    public static RequestOrigin From(HttpContext context, string? clientId, string? sessionId) =>
        new(clientId, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, sessionId);

    /// <summary>The configured issuer, else the URL the request came to (as OpenIddict does).</summary>
    public static Uri Issuer(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.Issuer
        ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");

    /// <summary>
    /// The first <see cref="LocaleResolver.MaxRequestedLocales"/> usable Accept-Language tags (in header order, as
    /// ASP.NET Core's request localization takes them), then by decreasing quality; a malformed header counts as
    /// absent. A header of a thousand tags costs no more culture lookups than one of five.
    /// </summary>
    public static IReadOnlyList<string> AcceptLanguages(HttpContext context)
    {
        try
        {
            return context.Request.GetTypedHeaders().AcceptLanguage
                .Where(value => (value.Quality is null or > 0) && value.Value != "*")
                .Take(LocaleResolver.MaxRequestedLocales)
                .OrderByDescending(value => value.Quality ?? 1)
                .Select(value => value.Value.ToString())
                .ToList();
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
