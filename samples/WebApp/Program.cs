// A server-rendered web app that signs its users in with IdentityHub using the stock OpenID Connect handler in its
// defaults: authorization code with PKCE, response_mode=form_post, a confidential client. It keeps the tokens in its
// cookie (SaveTokens), calls the API with the access token, refreshes, and signs out through end-session. IdentityHub.Client
// ends its cookie session when IdentityHub ends the user's session there (a password change elsewhere, a sign-out).
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("IdentityHub");

builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
    })
    .AddCookie()
    .AddOpenIdConnect(options =>
    {
        options.Authority = settings["Authority"];
        options.ClientId = settings["ClientId"];
        options.ClientSecret = settings["ClientSecret"];
        options.RequireHttpsMetadata = settings.GetValue("RequireHttpsMetadata", true);
        options.ResponseType = "code";
        options.SaveTokens = true;
        options.GetClaimsFromUserInfoEndpoint = true;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.Scope.Add("offline_access");
        options.Scope.Add(settings["ApiScope"]!);
    })
    .AddIdentityHubLogout();
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery();
builder.Services.AddHttpClient();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/", (HttpContext context, IAntiforgery antiforgery) => Page(context.User.Identity?.IsAuthenticated == true
    ? $"""
      <p>Signed in as <strong id="name">{Html(context.User.Identity!.Name)}</strong>,
      tenant <code id="tenant">{Html(context.User.FindFirstValue("tid"))}</code>.</p>
      <p><a id="call-api" href="/call-api">Call the API</a> · <a id="refresh" href="/refresh">Refresh the tokens</a></p>
      <form method="post" action="/signout">
        <input type="hidden" name="__RequestVerificationToken" value="{Html(antiforgery.GetAndStoreTokens(context).RequestToken)}" />
        <button id="sign-out" type="submit">Sign out</button>
      </form>
      """
    : """<p>Not signed in. <a id="sign-in" href="/signin">Sign in</a></p>"""));

app.MapGet("/signin", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }));

app.MapGet("/call-api", async (HttpContext context, IHttpClientFactory http) =>
{
    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings["ApiUrl"]!), "orders"));
    request.Headers.Authorization = new("Bearer", await context.GetTokenAsync("access_token"));
    using var response = await http.CreateClient().SendAsync(request);
    return Page($"""<p>API answered <strong id="api-status">{(int)response.StatusCode}</strong></p><pre id="api-body">{Html(await response.Content.ReadAsStringAsync())}</pre><p><a href="/">Back</a></p>""");
}).RequireAuthorization();

app.MapGet("/refresh", async (HttpContext context, IHttpClientFactory http, IOptionsMonitor<OpenIdConnectOptions> oidc) =>
{
    var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
    var configuration = await options.ConfigurationManager!.GetConfigurationAsync(context.RequestAborted);
    var result = await context.AuthenticateAsync();
    using var response = await http.CreateClient().PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = result.Properties?.GetTokenValue("refresh_token") ?? "",
        ["client_id"] = options.ClientId!,
        ["client_secret"] = options.ClientSecret!,
    }));
    var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
    if (response.IsSuccessStatusCode && result is { Principal: { } principal, Properties: { } properties } && body is not null)
    {
        // Keep the new tokens (refresh tokens are rotated): the cookie is written again with them.
        properties.UpdateTokenValue("access_token", body["access_token"].ToString()!);
        properties.UpdateTokenValue("refresh_token", body["refresh_token"].ToString()!);
        await context.SignInAsync(principal, properties);
    }
    var outcome = response.IsSuccessStatusCode ? "refreshed" : body?.GetValueOrDefault("error")?.ToString() ?? "refused";
    return Page($"""<p>Refresh: <strong id="refresh-result">{Html(outcome)}</strong></p><p><a href="/">Back</a></p>""");
}).RequireAuthorization();

app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
{
    await antiforgery.ValidateRequestAsync(context);
    return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
        [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
});

app.Run();

static string Html(string? text) => WebUtility.HtmlEncode(text ?? "");

static IResult Page(string body) => Results.Content(
    $"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sample web app</title></head><body><h1>Sample web app</h1>{body}</body></html>""",
    "text/html; charset=utf-8");
