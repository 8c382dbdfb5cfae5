using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.Notifications;
using Microsoft.Playwright;

namespace IdentityHub.Web.Tests.Pages;

/// <summary>
/// The real host (with SMTP to a real aiosmtpd) and Debian's Chromium driven by Playwright. Never lets Playwright
/// download a browser: it launches /usr/bin/chromium, with the flags this sandboxed machine needs.
/// </summary>
public class BrowserApplication : MailApplication, IAsyncLifetime
{
    public const string ConsentClient = "test-consent";
    private const string Chromium = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are saved as test artifacts.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public virtual async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException("The browser tests need Debian's chromium (installed by ./test.sh).");
        }
        System.IO.Directory.CreateDirectory(ScreenshotDirectory);
        // Two cores run the whole suite in parallel: give assertions room before they call a slow page a failure.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        _ = Address;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright?.Dispose();
    }

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        settings["Seed"] = BrowserSeed();
    }

    /// <summary>The default fixture plus a client that asks for consent.</summary>
    private object BrowserSeed()
    {
        var defaults = DefaultSettings();
        var seed = System.Text.Json.JsonSerializer.SerializeToNode(defaults["Seed"])!.AsObject();
        seed["Clients"]!.AsArray().Add(System.Text.Json.JsonSerializer.SerializeToNode(new
        {
            ClientId = ConsentClient,
            DisplayName = "Acme Portal",
            GrantTypes = new[] { "authorization_code", "refresh_token" }, StepUp = true,
            RedirectUris = new[] { TestData.SpaRedirectUri },
            Scopes = new[] { "openid", "profile", "email", "account" },
            RequireConsent = true,
        }));
        return seed;
    }

    /// <summary>A fresh browser context (its own cookies) in a language, with a phone or desktop viewport.</summary>
    public Task<IBrowserContext> NewContextAsync(string locale = "en-US", bool phone = false) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Address.ToString().TrimEnd('/'),
        Locale = locale,
        ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
        ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
    });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}
