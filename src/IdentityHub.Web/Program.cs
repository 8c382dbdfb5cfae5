using IdentityHub.Web.Api;
using IdentityHub.Web.Api.Admin;
using IdentityHub.Web.Api.SharedSignals;
using IdentityHub.Web.Cli;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Hosting;
using IdentityHub.Web.Pages;
using IdentityHub.Web.Seeding;

if (HubCommandLine.Matches(args))
{
    return await HubCommandLine.RunAsync(args, Console.In, Console.Out, Console.Error);   // users, clients, tenants, policies, migrate
}
if (HealthCheckCommand.Matches(args))
{
    return await HealthCheckCommand.RunAsync(args, Console.Error);
}

var builder = HubServices.CreateBuilder(args);              // settings and services, shared with the CLI: see Hosting/HubServices.cs

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
app.MapAdminApi();                                          // /v1/admin/...: administrator clients only
app.MapSharedSignals();                                     // /.well-known/ssf-configuration, /ssf/...: receivers' streams
app.MapRazorPages();                                        // /Account/...
app.MapOperations();                                        // /healthz, /readyz, the start-up log line
app.Run();
return 0;

/// <summary>Entry point, public so that tests can host the real application.</summary>
public partial class Program;
