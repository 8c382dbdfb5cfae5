using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>
/// A host outside Development (Staging, production settings) behind a TLS-terminating proxy: every
/// request reaches it as https (the tests have no certificate, so a startup filter marks the plain-http requests
/// of the socket as https, as forwarded headers would).
/// </summary>
public sealed class HttpsApplication() : StagingHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, HttpsScheme>());
    }

    private sealed class HttpsScheme : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Request.Scheme = "https";
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Cookies (names, Secure, __Host-), HSTS, and Data Protection keys kept in the database across restarts.</summary>
public sealed class CookieAndKeyTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task ASignedInCookie_AndAnEarlierFormToken_StillWork_OnASecondHostOverTheSameDatabase()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var cookies = new CookieContainer();
        var browser = new OAuthClient(app, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Account/Manage")).StatusCode);
        // A form fetched before the restart, posted after it.
        var form = await (await browser.Http.GetAsync("/Account/Logout")).Content.ReadAsStringAsync();
        var antiforgery = Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(antiforgery);

        using var restarted = new RestartedApplication(app);
        // Cookies are per host, not per port: the browser sends the same ones to the new process.
        var after = new OAuthClient(restarted, cookies);

        var manage = await after.Http.GetAsync("/Account/Manage");
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        var signOut = await after.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        // The new process read the key the first one wrote to the database, and made none of its own.
        var rows = await restarted.QueryAsync(db => db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync());
        var ring = restarted.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => $"key-{k.KeyId}");
        Assert.Equal(rows.Order(), ring.Order());
    }

    [Fact]
    public async Task DataProtectionKeys_AreRowsInTheDatabase()
    {
        // A page with a form needs a key (for its antiforgery token).
        Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowserlessClient().GetAsync("/Account/Login")).StatusCode);

        var keys = await app.QueryAsync(db => db.DataProtectionKeys.ToListAsync());

        var key = Assert.Single(keys);
        // The migrations ran before Data Protection first loaded its key ring (no failed load on a fresh database).
        Assert.DoesNotContain(app.Logs.Lines, line => line.StartsWith("Error Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
        Assert.StartsWith("key-", key.FriendlyName);
        Assert.Contains("<key id=", key.Xml);
        Assert.Contains("<masterKey", key.Xml);
    }

    [Fact]
    public async Task OverPlainHttp_CookiesHaveNoHostPrefix_AndAreNotSecure()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);

        var page = await browser.Http.GetAsync("/Account/Login");
        var signIn = await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA);

        var antiforgery = Assert.Single(SetCookies(page), c => c.StartsWith(".IdentityHub.Antiforgery=", StringComparison.Ordinal));
        var session = Assert.Single(SetCookies(signIn), c => c.StartsWith(".IdentityHub.Session=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Null(page.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts : null);
    }

    internal static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private sealed class RestartedApplication(HubApplication original) : HubApplication
    {
        protected override void Configure(Dictionary<string, object?> settings)
        {
            settings["Database"] = TestDatabase.Settings(original.DatabasePath);
            settings["Keys"] = new { UseDevelopmentKeys = true, DevelopmentKeysPath = Path.Combine(original.Directory, "keys.json") };
        }
    }
}

/// <summary>Over https (AllowInsecureHttp off): HSTS, and __Host- cookies that are Secure, Path=/ and without Domain.</summary>
public sealed class HttpsCookieTests(HttpsApplication app) : IClassFixture<HttpsApplication>
{
    [Fact]
    public async Task HttpsResponses_CarryHsts_AndCookiesAreHostPrefixedAndSecure()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        // No cookie jar: a client would not send Secure cookies back over this test's plain socket, so they are
        // carried by hand.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Address };

        using var get = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        // HSTS is never sent for localhost or 127.0.0.1; a real host name, as in production.
        get.Headers.Host = "id.example.test";
        var page = await http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());
        var antiforgery = Assert.Single(CookieAndKeyTests.SetCookies(page), c => c.StartsWith("__Host-IdentityHub.Antiforgery=", StringComparison.Ordinal));
        AssertHostCookie(antiforgery);

        var html = await page.Content.ReadAsStringAsync();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value,
                ["Email"] = email,
                ["Password"] = TestData.StrongPassword,
                ["TenantId"] = TestData.TenantA.ToString(),
            }),
        };
        post.Headers.Host = "id.example.test";
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signIn = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = Assert.Single(CookieAndKeyTests.SetCookies(signIn), c => c.StartsWith("__Host-IdentityHub.Session=", StringComparison.Ordinal));
        AssertHostCookie(session);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a browser requires of a __Host- cookie: Secure, Path=/, no Domain.</summary>
    private static void AssertHostCookie(string setCookie)
    {
        var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("httponly", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }
}
