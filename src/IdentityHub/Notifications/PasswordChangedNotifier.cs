using System.Globalization;
using IdentityHub.Accounts;
using IdentityHub.PasswordChanges;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using OpenIddict.Abstractions;

namespace IdentityHub.Notifications;

/// <summary>
/// Prepares the "your password was changed" email of a change: resolves the recipient's language, renders the
/// templates and returns the outbox row for the caller to write in the change's own transaction.
/// </summary>
public sealed class PasswordChangedNotifier(
    IEmailRenderer renderer, IOpenIddictApplicationManager applications)
{
    /// <summary>The kind stored on outbox rows of this email.</summary>
    public const string Kind = "password_changed";

    /// <summary>
    /// Renders the email for a change that is about to commit, in <paramref name="culture"/> (resolved by the caller
    /// with <see cref="LocaleResolver"/>: explicit, Accept-Language, the user's, the tenant's, English).
    /// </summary>
    public async Task<OutboxMessage> PrepareAsync(HubUser user, Tenant tenant, PasswordChange change, CultureInfo culture, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        string? clientName = null;
        if (change.Origin.ClientId is { } clientId && await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application)
        {
            clientName = await applications.GetLocalizedDisplayNameAsync(application, culture, cancellationToken) ?? clientId;
        }
        var issuer = change.Issuer?.AbsoluteUri.TrimEnd('/') ?? "";
        var model = new PasswordChangedEmailModel(
            RecipientName: user.DisplayName ?? user.Email ?? "",
            Email: user.Email ?? "",
            TenantName: tenant.Name,
            // No per-user time zone is stored yet, so the time is stated in UTC, and says so.
            ChangedAt: changedAt.ToUniversalTime(),
            TimeZoneName: "UTC",
            ClientName: clientName,
            IpAddress: change.Origin.IpAddress,
            Browser: change.Origin.UserAgent,
            SignInUrl: $"{issuer}/Account/Login?tenant={user.TenantId}")
        {
            ResetPasswordUrl = $"{issuer}/Account/ForgotPassword?tenant={user.TenantId}",
        };
        var rendered = await renderer.RenderPasswordChangedAsync(model, culture);
        return OutboxMessage.Create(Kind, user, culture, rendered, changedAt);
    }
}
