using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace IdentityHub.Web.Pages;

/// <summary>The self-service pages: Razor pages, the sign-in session cookie they set (which the authorize endpoint reads), their language.</summary>
internal static class SelfServicePagesExtensions
{
    public static IServiceCollection AddSelfServicePages(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.Conventions.ConfigureFilter(new PasswordChangeFirst()));   // a required password change comes first
        services.AddAuthentication(SessionCookie.Scheme).AddCookie(SessionCookie.Scheme);
        services.AddAuthorization();

        // Served over https (AllowInsecureHttp off, as Production requires), our cookies are Secure-only and named
        // with the __Host- prefix, which a browser accepts only from https, with Path=/ and without Domain: neither a
        // sibling subdomain nor a plain-http page can plant or overwrite them. Development and the tests serve plain
        // http, where a browser would drop a __Host- cookie, so there they keep unprefixed names and are Secure
        // whenever the request itself is https.
        services.AddOptions<AntiforgeryOptions>().Configure<IOptions<ServerOptions>>((options, server) =>
        {
            options.Cookie.Name = CookiePrefix(server.Value) + "IdentityHub.Antiforgery";
            options.Cookie.Path = "/";
            options.Cookie.SecurePolicy = CookieSecurity(server.Value);
        });
        services.AddOptions<CookieAuthenticationOptions>(SessionCookie.Scheme).Configure<IOptions<ServerOptions>>((options, server) =>
        {
            options.Cookie.Name = CookiePrefix(server.Value) + "IdentityHub.Session";
            options.Cookie.Path = "/";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurity(server.Value);
            options.LoginPath = SessionCookie.LoginPath;
            options.ExpireTimeSpan = server.Value.SessionCookieLifetime;
            options.SlidingExpiration = false;
            options.Events = new CookieAuthenticationEvents { OnValidatePrincipal = SessionCookieValidator.ValidateAsync };
        });
        return services;
    }

    /// <summary>The pages' language: the switcher's cookie first, then the browser's Accept-Language.</summary>
    public static IApplicationBuilder UsePageCultures(this IApplicationBuilder app) => app.UseRequestLocalization(options =>
    {
        options.SetDefaultCulture("en").AddSupportedCultures(PageCultures.Codes).AddSupportedUICultures(PageCultures.Codes);
        options.FallBackToParentCultures = options.FallBackToParentUICultures = true;
        options.RequestCultureProviders =
        [
            // Both pass on predefined cultures only, and Accept-Language only its first few entries (the same
            // handful the email's language considers); see PredefinedCultureProviders.cs.
            new PredefinedCookieCultureProvider { CookieName = PageCultures.CookieName },
            new PredefinedAcceptLanguageCultureProvider(),
        ];
    });

    private static string CookiePrefix(ServerOptions server) => server.AllowInsecureHttp ? "." : "__Host-";

    private static CookieSecurePolicy CookieSecurity(ServerOptions server) =>
        server.AllowInsecureHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}
