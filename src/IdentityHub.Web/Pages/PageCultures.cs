namespace IdentityHub.Web.Pages;

/// <summary>The languages of the pages, each named in itself for the switcher.</summary>
internal static class PageCultures
{
    public const string CookieName = ".IdentityHub.Culture";

    public static readonly (string Code, string Name)[] All = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")];

    public static string[] Codes => All.Select(c => c.Code).ToArray();

    /// <summary>
    /// The language the person chose with the switcher (the cookie), which counts as an explicit choice for the emails
    /// a page sends; null when the page's language came from Accept-Language (the usual order then applies).
    /// </summary>
    public static string? Chosen(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>() is { Provider: Microsoft.AspNetCore.Localization.CookieRequestCultureProvider } feature
            ? feature.RequestCulture.UICulture.Name
            : null;
}
