using System.Globalization;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Tenancy;

namespace IdentityHub.Notifications;

/// <summary>Prepares the password-reset email: renders the templates and returns the outbox row for the caller to write.</summary>
public sealed class PasswordResetNotifier(IEmailRenderer renderer, TimeProvider clock)
{
    /// <summary>The kind stored on outbox rows of this email.</summary>
    public const string Kind = "password_reset";

    /// <summary>Renders the email with its link in <paramref name="culture"/> (resolved as for the password-changed email).</summary>
    public async Task<OutboxMessage> PrepareAsync(HubUser user, Tenant tenant, string resetUrl, TimeSpan validFor, RequestOrigin origin, CultureInfo culture)
    {
        var model = new PasswordResetEmailModel(
            RecipientName: user.DisplayName ?? user.Email ?? "",
            Email: user.Email ?? "",
            TenantName: tenant.Name,
            ResetUrl: resetUrl,
            ValidForMinutes: (int)Math.Round(validFor.TotalMinutes),
            IpAddress: origin.IpAddress,
            Browser: origin.UserAgent);
        var rendered = await renderer.RenderPasswordResetAsync(model, culture);
        return OutboxMessage.Create(Kind, user, culture, rendered, clock.GetUtcNow());
    }
}
