using System.Globalization;
using IdentityHub.Notifications;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Primitives;

namespace IdentityHub.Web.Pages;

/// <summary>
/// The pages' culture providers, passing on only names of cultures the runtime predefines. ASP.NET Core's request
/// localization falls back to parent cultures through <see cref="CultureInfo.GetCultureInfo(string)"/>, which under
/// ICU accepts any well-formed invented tag (<c>zz-123</c>) and keeps the object it creates in a process-wide cache:
/// without this filter every request could add a few entries to that cache for good.
/// </summary>
internal static class PredefinedCultures
{
    /// <summary>The result with invented, unknown or overlong names removed; null when none is left.</summary>
    public static ProviderCultureResult? Filter(ProviderCultureResult? result)
    {
        if (result is null)
        {
            return null;
        }
        var cultures = result.Cultures.Where(IsPredefined).ToList();
        var uiCultures = result.UICultures.Where(IsPredefined).ToList();
        return cultures.Count == 0 && uiCultures.Count == 0 ? null : new ProviderCultureResult(cultures, uiCultures);
    }

    private static bool IsPredefined(StringSegment name)
    {
        if (name.Length == 0 || name.Length > LocaleResolver.MaxTagLength)
        {
            return false;
        }
        try
        {
            return !CultureInfo.GetCultureInfo(name.ToString(), predefinedOnly: true).Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}

/// <summary>The switcher's cookie, predefined cultures only (a subclass, so pages can still tell the cookie chose).</summary>
internal sealed class PredefinedCookieCultureProvider : CookieRequestCultureProvider
{
    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        PredefinedCultures.Filter(await base.DetermineProviderCultureResult(httpContext));
}

/// <summary>
/// Accept-Language, at most <see cref="LocaleResolver.MaxRequestedLocales"/> of its entries (the email's language
/// considers as many), predefined cultures only.
/// </summary>
internal sealed class PredefinedAcceptLanguageCultureProvider : AcceptLanguageHeaderRequestCultureProvider
{
    public PredefinedAcceptLanguageCultureProvider() => MaximumAcceptLanguageHeaderValuesToTry = LocaleResolver.MaxRequestedLocales;

    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        PredefinedCultures.Filter(await base.DetermineProviderCultureResult(httpContext));
}
