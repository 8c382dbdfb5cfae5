using System.Text;
using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>The fixture plus browser origins: the SPA's, and one of a second client.</summary>
public sealed class CorsApplication : HubApplication
{
    public const string SpaOrigin = "http://127.0.0.1:5173";
    public const string OtherClientOrigin = "https://portal.example.test";
    public const string UnknownOrigin = "https://evil.example.test";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!;
        var clients = seed["Clients"]!.AsArray();
        clients[0]!["AllowedOrigins"] = new System.Text.Json.Nodes.JsonArray(SpaOrigin);
        clients[1]!["AllowedOrigins"] = new System.Text.Json.Nodes.JsonArray(OtherClientOrigin);
        settings["Seed"] = seed;
    }
}

/// <summary>
/// CORS answers, through raw requests on the socket with an <c>Origin</c>: the endpoints a browser app calls from
/// script answer the origins clients list, and nothing else gets a CORS header.
/// </summary>
public sealed class ClientCorsTests(CorsApplication app) : IClassFixture<CorsApplication>
{
    /// <summary>Each endpoint family with a request a SPA would make (without valid credentials: the error must reach the script too).</summary>
    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "/.well-known/openid-configuration", null },
        { "GET", "/.well-known/jwks", null },
        { "POST", "/connect/token", "grant_type=refresh_token&client_id=test-spa&refresh_token=nope" },
        { "GET", "/connect/userinfo", null },
        { "POST", "/connect/revoke", "client_id=test-spa&token=nope" },
        { "POST", "/connect/introspect", "client_id=test-cli&client_secret=test-cli-secret-0123456789&token=nope" },
        { "POST", "/v1/users/me/password", "{}" },
        { "GET", "/v1/password-policy", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EachEndpointFamily_AnswersListedOrigins_AndNoOther(string method, string path, string? body)
    {
        foreach (var origin in new[] { CorsApplication.SpaOrigin, CorsApplication.OtherClientOrigin })
        {
            var allowed = await SendAsync(method, path, origin, body);
            Assert.Equal(origin, allowed.Headers.GetValueOrDefault("access-control-allow-origin"));
            Assert.Contains("WWW-Authenticate", allowed.Headers.GetValueOrDefault("access-control-expose-headers") ?? "");
            // A browser app reads the id of a change's receipt (every dialect) and v1's Location to it.
            Assert.Contains("Password-Change-Id", allowed.Headers.GetValueOrDefault("access-control-expose-headers") ?? "");
            Assert.Contains("Location", allowed.Headers.GetValueOrDefault("access-control-expose-headers") ?? "");
            Assert.False(allowed.Headers.ContainsKey("access-control-allow-credentials"));
        }

        var unknown = await SendAsync(method, path, CorsApplication.UnknownOrigin, body);
        Assert.DoesNotContain(unknown.Headers.Keys, name => name.StartsWith("access-control-", StringComparison.Ordinal));
        // The same answer otherwise: CORS decides what a browser shows the script, not what the server does.
        Assert.Equal((await SendAsync(method, path, CorsApplication.SpaOrigin, body)).Status, unknown.Status);
    }

    [Fact]
    public async Task AccountApiPreflight_WithAuthorizationAndContentType_IsAnsweredForListedOriginsOnly()
    {
        var allowed = await PreflightAsync("/v1/users/me/password", CorsApplication.SpaOrigin);
        Assert.Equal(204, allowed.Status);
        Assert.Equal(CorsApplication.SpaOrigin, allowed.Headers["access-control-allow-origin"]);
        Assert.Contains("POST", allowed.Headers["access-control-allow-methods"]);
        var headers = allowed.Headers["access-control-allow-headers"].ToLowerInvariant();
        Assert.Contains("authorization", headers);
        Assert.Contains("content-type", headers);
        Assert.Equal("600", allowed.Headers["access-control-max-age"]);

        foreach (var origin in new[] { CorsApplication.UnknownOrigin, "null", CorsApplication.SpaOrigin + "/", "http://127.0.0.1:5174" })
        {
            var refused = await PreflightAsync("/v1/users/me/password", origin);
            Assert.DoesNotContain(refused.Headers.Keys, name => name.StartsWith("access-control-", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/connect/userinfo")]
    [InlineData("/api/me/change-password")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task Preflight_OfOtherEndpoints_IsAnsweredForTheListedOrigin(string path)
    {
        var allowed = await PreflightAsync(path, CorsApplication.SpaOrigin);
        Assert.Equal(CorsApplication.SpaOrigin, allowed.Headers.GetValueOrDefault("access-control-allow-origin"));
    }

    [Theory]
    [InlineData("GET", "/connect/authorize?client_id=test-spa&response_type=code")]
    [InlineData("GET", "/Account/Login")]
    [InlineData("GET", "/connect/endsession")]
    [InlineData("OPTIONS", "/Account/ChangePassword")]
    public async Task PagesAndBrowserNavigations_NeverAnswerCors_EvenForAListedOrigin(string method, string path)
    {
        var response = method == "OPTIONS"
            ? await PreflightAsync(path, CorsApplication.SpaOrigin)
            : await SendAsync(method, path, CorsApplication.SpaOrigin, null);
        Assert.DoesNotContain(response.Headers.Keys, name => name.StartsWith("access-control-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://app.example.test/callback")]
    [InlineData("https://*.example.test")]
    [InlineData("null")]
    [InlineData("https://app.example.test/")]
    [InlineData("https://App.Example.test")]
    [InlineData("https://app.example.test:443")]
    [InlineData("ftp://app.example.test")]
    [InlineData("https://user@app.example.test")]
    public void AnOriginThatIsNotExact_StopsTheHostAtStart_NamingTheKey(string origin)
    {
        using var host = new Hosting.BadSettingHost(settings => settings["Seed"] = new
        {
            Clients = new[] { new { ClientId = "spa", GrantTypes = new[] { "authorization_code" }, AllowedOrigins = new[] { origin } } },
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        var messages = string.Join("\n", Flatten(error).Select(e => e.Message));
        Assert.Contains("IdentityHub:Seed:Clients:0:AllowedOrigins:0", messages);
        Assert.Contains($"'{origin}' is not an exact origin", messages);
    }

    private static IEnumerable<Exception> Flatten(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }

    private Task<RawResponse> SendAsync(string method, string path, string origin, string? body)
    {
        List<string> headers = [$"Origin: {origin}"];
        if (body is not null)
        {
            headers.Add(body.StartsWith('{') ? "Content-Type: application/json" : "Content-Type: application/x-www-form-urlencoded");
        }
        return RawHttp.SendAsync(app.Address, method, path, headers, body is null ? null : Encoding.UTF8.GetBytes(body));
    }

    private Task<RawResponse> PreflightAsync(string path, string origin) => RawHttp.SendAsync(app.Address, "OPTIONS", path,
        [$"Origin: {origin}", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization, content-type"]);
}
