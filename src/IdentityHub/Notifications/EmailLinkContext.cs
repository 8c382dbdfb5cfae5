using IdentityHub.Audit;

namespace IdentityHub.Notifications;

/// <summary>
/// Who asks for an emailed link (an email verification, an invitation) and how to write it: the language candidates
/// and the issuer the link starts with. The page, the API, the seed and an administrator's action each fill it.
/// </summary>
/// <param name="Origin">Where the request came from (audited).</param>
public sealed record EmailLinkContext(RequestOrigin Origin)
{
    /// <summary>The BCP 47 locale the caller asked for, already validated.</summary>
    public string? Locale { get; init; }

    /// <summary>The request's Accept-Language tags in order of preference.</summary>
    public IReadOnlyList<string> PreferredLocales { get; init; } = [];

    /// <summary>The issuer URL the link starts with; null gives a relative link (a seed without <c>Server:Issuer</c>).</summary>
    public Uri? Issuer { get; init; }

    /// <summary>The language candidates of an email to <paramref name="userLocale"/> in a tenant of <paramref name="tenantLocale"/>, in order.</summary>
    public IEnumerable<string?> Cultures(string? userLocale, string tenantLocale) =>
        [Locale, .. PreferredLocales.Take(LocaleResolver.MaxRequestedLocales), userLocale, tenantLocale, "en"];

    /// <summary>The absolute (or, without an issuer, relative) URL of <paramref name="pathAndQuery"/>.</summary>
    public string Url(string pathAndQuery) => (Issuer?.AbsoluteUri.TrimEnd('/') ?? "") + pathAndQuery;
}
