using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.PasswordResets;
using MimeKit;

namespace IdentityHub.Web.Tests.EmailVerification;

/// <summary>
/// The reset host (real SMTP) plus a tenant that requires a verified email before a reset email is sent, and a seeded
/// invited user (no password, an invitation email at creation).
/// </summary>
public sealed class VerificationApplication : ResetApplication
{
    public static readonly Guid VerifiedOnly = Guid.Parse("30000000-0000-4000-8000-000000000002");
    public const string Invitee = "invitee@acme.test";
    public const string VerifiedOnlyUser = "checked@strict.test";
    public const string UnverifiedOnlyUser = "unchecked@strict.test";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!.AsObject();
        var tenants = seed["Tenants"]!.AsArray();
        tenants[0]!["Users"]!.AsArray().Add(JsonSerializer.SerializeToNode(new { Email = Invitee, Invite = true, DisplayName = "Ivy" }));
        tenants.Add(JsonSerializer.SerializeToNode(new
        {
            Id = VerifiedOnly, Name = "Strict", DefaultLocale = "en", RequireVerifiedEmailForReset = true,
            Users = new object[]
            {
                new { Email = VerifiedOnlyUser, Password = TestData.StrongPassword, EmailVerified = true },
                new { Email = UnverifiedOnlyUser, Password = TestData.StrongPassword },
            },
        }));
        settings["Seed"] = seed;
    }

    /// <summary>POST /v1/users/me/email-verifications with a bearer token (or none) and <c>X-Tenant-ID</c>.</summary>
    public static Task<ApiResponse> SendVerificationAsync(HttpClient http, string? accessToken, Guid tenant, IDictionary<string, string>? headers = null) =>
        ApiCall.SendAsync(http, HttpMethod.Post, "/v1/users/me/email-verifications", accessToken, null,
            new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { ["X-Tenant-ID"] = tenant.ToString() });

    /// <summary>The link of a verification email (from its text part, as a person would copy it).</summary>
    public static string VerificationLink(MimeMessage message) =>
        Regex.Match(message.TextBody ?? "", @"https?://\S+/Account/ConfirmEmail\?tenant=[0-9a-f-]+&token=\S+").Value;

    /// <summary>The path and query of an invitation email's link (relative: this host has no configured issuer).</summary>
    public static string InvitationLink(MimeMessage message) =>
        Regex.Match(message.TextBody ?? "", @"/Account/ResetPassword\?token=\S+").Value;

    /// <summary>The token of an invitation email's link, as the API takes it.</summary>
    public static string InvitationToken(MimeMessage message) => WebUtility.UrlDecode(InvitationLink(message).Split("token=")[1]);
}
