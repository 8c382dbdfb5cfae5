using System.Globalization;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;

namespace IdentityHub.Notifications;

/// <summary>
/// The email-verification and invitation emails, in the recipient's language (resolved as for the password-changed
/// email): the verification email is queued here with its audit event, the invitation returned for its ticket's
/// transaction (<see cref="PasswordResets.PasswordResetTickets"/>).
/// </summary>
public sealed class EmailLinkNotifier(IEmailRenderer renderer, LocaleResolver locales, IdentityHubDbContext db, AuditLog audit, OutboxSignal outbox, TimeProvider clock)
{
    /// <summary>The kind stored on outbox rows of the verification email.</summary>
    public const string VerificationKind = "email_verification";

    /// <summary>The kind stored on outbox rows of the invitation email.</summary>
    public const string InvitationKind = "invitation";

    /// <summary>Renders the verification email with its link, and writes it to the outbox with its audit event.</summary>
    public async Task SendVerificationAsync(HubUser user, Tenant tenant, string url, TimeSpan validFor, EmailLinkContext context, CancellationToken cancellationToken)
    {
        var culture = Culture(user, tenant, context);
        var model = new EmailVerificationEmailModel(Name(user), user.Email ?? "", tenant.Name, url, Math.Max(1, (int)Math.Round(validFor.TotalHours)));
        var rendered = await renderer.RenderEmailVerificationAsync(model, culture);
        audit.Add(AuditEventTypes.EmailVerificationSent, tenant.Id, user.Id, context.Origin);
        db.Outbox.Add(OutboxMessage.Create(VerificationKind, user, culture, rendered, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
    }

    /// <summary>Renders the invitation email with its link; the caller writes it.</summary>
    public async Task<OutboxMessage> PrepareInvitationAsync(HubUser user, Tenant tenant, string url, TimeSpan validFor, EmailLinkContext context)
    {
        var culture = Culture(user, tenant, context);
        var model = new InvitationEmailModel(Name(user), user.Email ?? "", tenant.Name, url, Math.Max(1, (int)Math.Round(validFor.TotalDays)));
        return OutboxMessage.Create(InvitationKind, user, culture, await renderer.RenderInvitationAsync(model, culture), clock.GetUtcNow());
    }

    private CultureInfo Culture(HubUser user, Tenant tenant, EmailLinkContext context) => locales.Resolve(context.Cultures(user.Locale, tenant.DefaultLocale));

    private static string Name(HubUser user) => user.DisplayName ?? user.Email ?? "";
}
