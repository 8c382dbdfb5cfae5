using System.Net;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>The sign-in page over real HTTP: antiforgery, the generic error, lockout.</summary>
public sealed class SignInPageTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task Pages_CannotBeFramed_AndLoadNothingFromElsewhere()
    {
        var response = await app.CreateBrowserlessClient().GetAsync("/Account/Login");

        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRejected()
    {
        var http = app.CreateBrowserlessClient();

        var response = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "alice@acme.test", ["Password"] = TestData.StrongPassword, ["TenantId"] = TestData.TenantA.ToString(),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownEmailAndWrongPassword_ShowTheSameGenericError()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);

        var unknown = await (await browser.SignInAsync("/Account/Login", "nobody@acme.test", TestData.StrongPassword, TestData.TenantA)).Content.ReadAsStringAsync();
        var wrong = await (await browser.SignInAsync("/Account/Login", email, "Wrong-Password-1!", TestData.TenantA)).Content.ReadAsStringAsync();

        Assert.Contains("role=\"alert\"", unknown);
        Assert.Equal(ErrorText(unknown), ErrorText(wrong));
        Assert.DoesNotContain("Wrong-Password-1!", wrong);
    }

    [Fact]
    public async Task SignIn_FiveFailures_LockTheAccount_EvenTheRightPasswordFails()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        for (var i = 0; i < 5; i++)
        {
            var failed = await browser.SignInAsync("/Account/Login", email, $"Wrong-Password-{i}!", TestData.TenantA);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var right = await browser.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("role=\"alert\"", await right.Content.ReadAsStringAsync());
        Assert.True((await browser.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task SignIn_RightPassword_RedirectsToTheLocalReturnUrlOnly()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);

        var response = await browser.SignInAsync("/Account/Login?ReturnUrl=https%3A%2F%2Fevil.test%2F", email, TestData.StrongPassword, TestData.TenantA);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    private static string ErrorText(string html)
    {
        var start = html.IndexOf("role=\"alert\"", StringComparison.Ordinal);
        var open = html.IndexOf('>', start) + 1;
        return html[open..html.IndexOf('<', open)].Trim();
    }
}
