using IdentityHub.Web.Administration;
using IdentityHub.Web.Api;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Pages;
using IdentityHub.Web.Seeding;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// The host's services, in one place for the server (<c>Program.cs</c>) and the command line (<see cref="Cli.CliHost"/>),
/// so that a command works on exactly what the server would: the same database, Data Protection keys, OpenIddict
/// managers and email templates.
/// </summary>
internal static class HubServices
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHubSettings(args);                               // IdentityHub:SettingsFile; developer-only settings refused elsewhere
        var services = builder.Services;
        services.AddSeeding();                                      // the first hosted service: migrations, then tenants, users, clients
        services.AddIdentityHubCore(builder.Environment.ContentRootPath); // database, Identity, passwords, sessions, lockout, mail outbox
        services.AddIdentityHubEmailTemplates();                    // Razor email templates
        services.AddAuthorizationServer(builder.Configuration, builder.Environment); // OpenIddict server and validation, token keys
        services.AddAccountApi();                                   // bearer callers, rate limiting, OpenAPI document
        services.AddSelfServicePages();                             // Razor pages, session and antiforgery cookies
        services.AddClientCors();                                   // CORS for the origins clients list (AllowedOrigins)
        services.AddOperations();                                   // Data Protection keys in the database, HSTS, health checks
        services.AddTelemetry(builder.Configuration);               // OpenTelemetry traces and metrics over OTLP, only when an endpoint is set
        services.AddReverseProxy();                                 // forwarded client address and scheme, from IdentityHub:Proxy only
        services.AddAdministration();                               // tenants and clients for the admin API and the CLI
        return builder;
    }
}
