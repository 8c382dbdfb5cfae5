namespace IdentityHub.Web.Pages;

/// <summary>The languages of the pages, each named in itself for the switcher.</summary>
internal static class PageCultures
{
    public const string CookieName = ".IdentityHub.Culture";

    public static readonly (string Code, string Name)[] All = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")];

    public static string[] Codes => All.Select(c => c.Code).ToArray();
}
