using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.Notifications;
using MimeKit;

namespace IdentityHub.Web.Tests.PasswordResets;

/// <summary>
/// The real host with SMTP to a real aiosmtpd, the default tenants plus one whose Cedar policies forbid resets of
/// contractor accounts (with notices in English and French), and reset throttling lifted except in its own tests.
/// </summary>
public class ResetApplication : MailApplication
{
    public static readonly Guid Contractors = Guid.Parse("30000000-0000-4000-8000-000000000001");
    public const string ContractorNotice = "Contractor accounts are reset by your agency.";
    public const string ContractorNoticeFr = "Les comptes des prestataires sont réinitialisés par votre agence.";

    protected virtual object ResetSettings => new { RequestsPerIpPerMinute = 100_000, RequestsPerAccountPerHour = 100_000 };

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        settings["PasswordResets"] = ResetSettings;
        var seed = JsonSerializer.SerializeToNode(DefaultSettings()["Seed"])!.AsObject();
        seed["Tenants"]!.AsArray().Add(JsonSerializer.SerializeToNode(new
        {
            Id = Contractors, Name = "Agency", DefaultLocale = "en",
            PasswordPolicy = new { Preset = "strict" },
            Policies = $$"""
                @id("self-service")
                permit (principal, action in [Action::"ChangePassword", Action::"ResetPassword"], resource) when { resource.owner == principal };
                @id("no-contractor-resets")
                @notice("{{ContractorNotice}}")
                @notice_fr("{{ContractorNoticeFr}}")
                forbid (principal, action == Action::"ResetPassword", resource) when { principal.email like "*@contractors.test" };
                """,
        }));
        settings["Seed"] = seed;
    }

    /// <summary>POST /v1/password-resets for an email in a tenant.</summary>
    public Task<ApiResponse> RequestResetAsync(HttpClient http, Guid tenant, string email, IDictionary<string, string>? headers = null) =>
        ApiCall.SendAsync(http, HttpMethod.Post, "/v1/password-resets", null, JsonSerializer.Serialize(new { email }),
            new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { ["X-Tenant-ID"] = tenant.ToString() });

    /// <summary>POST /v1/password-resets/confirm with a link's token.</summary>
    public Task<ApiResponse> ConfirmResetAsync(HttpClient http, Guid tenant, string token, string newPassword, IDictionary<string, string>? headers = null) =>
        ApiCall.SendAsync(http, HttpMethod.Post, "/v1/password-resets/confirm", null, JsonSerializer.Serialize(new { token, new_password = newPassword }),
            new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { ["X-Tenant-ID"] = tenant.ToString() });

    /// <summary>The reset emails delivered to <paramref name="email"/> so far, waiting for <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> ResetEmailsAsync(string email, int count = 1) =>
        (await Sink.WaitForAsync(email, count)).Where(m => m.TextBody?.Contains("/Account/ResetPassword?token=") == true).ToList();

    /// <summary>The link of a reset email (from its text part, as a person would copy it).</summary>
    public static string Link(MimeMessage message) => Regex.Match(message.TextBody ?? "", @"https?://\S+/Account/ResetPassword\?token=\S+").Value;

    /// <summary>The token of a reset email's link, as the API takes it.</summary>
    public static string Token(MimeMessage message) => WebUtility.UrlDecode(Link(message).Split("token=")[1]);

    /// <summary>Asks for a reset (which must be accepted) and returns the token of the email it sent.</summary>
    public async Task<string> ResetTokenAsync(HttpClient http, Guid tenant, string email, int nth = 1)
    {
        var response = await RequestResetAsync(http, tenant, email);
        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var emails = await ResetEmailsAsync(email, nth);
        Assert.Equal(nth, emails.Count);
        return Token(emails[^1]);
    }
}

/// <summary>The same host with the reset throttle at small limits.</summary>
public sealed class ThrottledResetApplication : ResetApplication
{
    public const int PerIp = 4;
    public const int PerAccount = 2;

    protected override object ResetSettings => new { RequestsPerIpPerMinute = PerIp, RequestsPerAccountPerHour = PerAccount };
}
