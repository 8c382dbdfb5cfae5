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
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

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
