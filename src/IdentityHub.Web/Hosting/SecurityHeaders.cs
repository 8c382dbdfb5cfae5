using Microsoft.AspNetCore;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// Headers every response carries: the sign-in and consent pages must never be framed (clickjacking), nothing is
/// loaded from anywhere but this host, and referrers (which can carry codes and states) never leave it.
/// </summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>
    /// The one inline script OpenIddict 7.8 writes, on its <c>response_mode=form_post</c> page, to submit the code to
    /// the client (<c>&lt;script&gt;document.form.submit();&lt;/script&gt;</c>), allowed by its SHA-256 and only on
    /// that page. Any other inline script, there or elsewhere, stays blocked. If an OpenIddict upgrade changes the
    /// script, <c>FormPostTests</c> fails.
    /// </summary>
    private const string FormPostPolicy =
        "default-src 'self'; script-src 'self' 'sha256-j7OoGArf6XW6YY4cAyS3riSSvrJRqpSi1fOF9vQ5SrI='; style-src 'self'; " +
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // The API reference (Development only) runs its own inline scripts; everything else is held to 'self'.
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = IsFormPostPage(context) ? FormPostPolicy : ContentSecurityPolicy;
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>An HTML answer of OpenIddict to a request with <c>response_mode=form_post</c>: its self-submitting form.</summary>
    private static bool IsFormPostPage(HttpContext context) =>
        context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true &&
        context.GetOpenIddictServerRequest()?.ResponseMode == OpenIddictConstants.ResponseModes.FormPost;

    /// <summary>
    /// Strict-Transport-Security on https responses (never on http ones, nor for localhost): once a browser has seen
    /// it, it will not talk plain http to this host for a year. Development is left out so that a browser does not
    /// pin localhost to https.
    /// </summary>
    public static WebApplication UseHstsOutsideDevelopment(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        return app;
    }
}
