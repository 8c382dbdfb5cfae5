using Microsoft.AspNetCore.Localization;

namespace IdentityHub.Web.Pages.Account;

/// <summary>The language switcher: remembers the choice in a cookie for a year, then goes back where the person was.</summary>
public sealed class LanguageModel(TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (culture is not null && PageCultures.Codes.Contains(culture))
        {
            Response.Cookies.Append(PageCultures.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax });
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
