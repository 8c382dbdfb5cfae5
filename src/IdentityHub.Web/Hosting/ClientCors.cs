using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Cors.Infrastructure;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// CORS for browser clients on other origins (a SPA calling the token endpoint, userinfo or the account API): the
/// preflight and the request are answered only for an origin that some client lists in <c>AllowedOrigins</c>, and
/// only on the endpoints a browser app calls from script. Any other origin, or any other path (the pages, authorize,
/// end-session), gets no CORS headers, so the browser keeps the answer from the calling script. No credentials:
/// these endpoints take bearer tokens and form posts, never the session cookie.
/// </summary>
internal sealed class ClientCors(ClientOrigins origins) : ICorsPolicyProvider
{
    /// <summary>Discovery and JWKS, token, userinfo, revocation, introspection, and the account API's three dialects.</summary>
    private static readonly PathString[] Paths =
    [
        "/.well-known", "/connect/token", "/connect/userinfo", "/connect/revoke", "/connect/introspect", "/v1", "/api",
    ];

    /// <summary>A few minutes of cached preflights: fewer round trips, and an origin removed is refused soon enough.</summary>
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (!Paths.Any(path => context.Request.Path.StartsWithSegments(path)))
        {
            return null;
        }
        var origin = context.Request.Headers.Origin.ToString();
        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var allowed = await origins.IsAllowedAsync(origin, applications, context.RequestAborted);
        return new CorsPolicyBuilder()
            .SetIsOriginAllowed(candidate => allowed && string.Equals(candidate, origin, StringComparison.Ordinal))
            .AllowAnyMethod()
            .AllowAnyHeader()
            .WithExposedHeaders("WWW-Authenticate", "Retry-After", "Location", Api.PasswordChangeIdHeader.Name)
            .SetPreflightMaxAge(PreflightMaxAge)
            .Build();
    }
}

/// <summary>Registration and middleware of <see cref="ClientCors"/>.</summary>
internal static class ClientCorsExtensions
{
    public static IServiceCollection AddClientCors(this IServiceCollection services)
    {
        services.AddSingleton<ClientOrigins>();
        services.AddSingleton<ICorsPolicyProvider, ClientCors>();
        services.AddCors();
        return services;
    }

    /// <summary>After routing and before authentication, where OpenIddict answers its own endpoints.</summary>
    public static IApplicationBuilder UseClientCors(this IApplicationBuilder app) => app.UseCors();
}
