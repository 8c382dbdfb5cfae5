using System.Collections.Concurrent;
using System.Security.Claims;
using IdentityHub.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Client;

/// <summary>
/// A relying party built on IdentityHub.Client, on Kestrel at 127.0.0.1: cookie authentication plus
/// <c>AddIdentityHubLogout</c> against the real hub (its discovery and JWKS), no OpenID Connect handler. <c>POST /signin</c>
/// starts a cookie session with the given <c>sub</c>, <c>sid</c> and <c>email</c> claims (what the OpenID Connect handler
/// would put there); <c>GET /me</c> answers 200 with the subject while the session lives, 401 once it has ended.
/// </summary>
public sealed class ReceiverApp(string? clientId) : IAsyncDisposable
{
    private WebApplication? app;

    public int Port { get; } = Loopback.FreePort();

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>What the app's hooks received, in order.</summary>
    public ConcurrentQueue<LogoutReceivedContext> Logouts { get; } = new();

    public ConcurrentQueue<SecurityEventReceivedContext> SecurityEvents { get; } = new();

    /// <summary>Starts the app against <paramref name="authority"/>; <paramref name="services"/> adds to its services (a shared cache).</summary>
    public async Task StartAsync(Uri authority, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Address.ToString().TrimEnd('/'));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options => options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            })
            .AddIdentityHubLogout(options =>
            {
                options.Authority = authority.ToString();
                options.RequireHttpsMetadata = false;
                options.ClientId = clientId;
                options.Events.OnLogoutReceived = context =>
                {
                    Logouts.Enqueue(context);
                    return Task.CompletedTask;
                };
                options.Events.OnSecurityEventReceived = context =>
                {
                    SecurityEvents.Enqueue(context);
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();
        services?.Invoke(builder.Services);
        app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/signin", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var claims = new[] { "sub", "sid", "email" }.Where(t => !string.IsNullOrEmpty(form[t])).Select(t => new Claim(t, form[t].ToString()));
            await context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "sub", "role")));
            return Results.Ok();
        });
        app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
        await app.StartAsync();
    }

    /// <summary>A client of the app with its own cookie jar, signed in with the given claims.</summary>
    public async Task<HttpClient> SignInAsync(string sub, string? sid = null, string? email = null)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Address };
        var fields = new Dictionary<string, string> { ["sub"] = sub, ["sid"] = sid ?? "", ["email"] = email ?? "" };
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(fields));
        response.EnsureSuccessStatusCode();
        return http;
    }

    /// <summary>200 while the session lives, 401 once ended.</summary>
    public static async Task<System.Net.HttpStatusCode> MeAsync(HttpClient session)
    {
        using var response = await session.GetAsync("/me");
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }
}
