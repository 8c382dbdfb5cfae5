using IdentityHub.Web.Api;
using IdentityHub.Web.Api.Admin;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Hosting;
using IdentityHub.Web.Pages;
using IdentityHub.Web.Seeding;

if (PolicyCommand.Matches(args))
{
    return PolicyCommand.Run(Console.In, Console.Out, Console.Error);
}
if (HealthCheckCommand.Matches(args))
{
    return await HealthCheckCommand.RunAsync(args, Console.Error);
}
if (MigrateCommand.Matches(args))
{
    return await MigrateCommand.RunAsync(args, Console.Out, Console.Error);
}

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

var app = builder.Build();
app.UseSeededRequests();                                    // requests wait until the seed is applied (client secrets included)
app.UseReverseProxy();                                      // every later step sees the client's address and scheme
app.UseSecurityHeaders();                                   // no framing, same-origin content, no referrer
app.UseUnhandledErrorResponses();                           // unknown failures in the caller's shape (dialect, OAuth, page)
app.UseHstsOutsideDevelopment();
app.UseErrorStatusPages();                                  // bodiless errors, OAuth errors a client cannot receive
app.UseStaticFiles();
app.UsePageCultures();                                      // language cookie, then Accept-Language
app.UseRouting();
app.UseClientCors();                                        // before OpenIddict answers its endpoints in authentication
app.UseUnreadableFormRefusal();                             // a form ASP.NET Core cannot parse is a 400
app.UseEarlyPasswordRefusal();                              // a full hash gate or a throttled IP, before the token endpoint
app.UseAuthentication();
app.UseAuthorization();
app.UseAccountApiCallers();                                 // bearer tokens validated before the rate limiter partitions
app.UseRateLimiter();

app.MapConnectEndpoints();                                  // /connect/authorize, token, userinfo, endsession
app.MapAccountApi();                                        // change password in three dialects, OpenAPI
app.MapAdminApi();                                          // /v1/admin/policies/evaluate
app.MapRazorPages();                                        // /Account/...
app.MapOperations();                                        // /healthz, /readyz, the start-up log line
app.Run();
return 0;

/// <summary>Entry point, public so that tests can host the real application.</summary>
public partial class Program;
