using System.Globalization;

namespace IdentityHub.Notifications;

/// <summary>
/// Turns an email model into subject, HTML and text in a culture. The seam between the core and the Razor
/// templates in <c>templates/</c>; a host may substitute its own.
/// </summary>
public interface IEmailRenderer
{
    /// <summary>Renders the password-changed email.</summary>
    Task<RenderedEmail> RenderPasswordChangedAsync(PasswordChangedEmailModel model, CultureInfo culture);

    /// <summary>Renders the password-reset email (the link to choose a new password).</summary>
    Task<RenderedEmail> RenderPasswordResetAsync(PasswordResetEmailModel model, CultureInfo culture);

    /// <summary>Renders the email-verification email (the link that confirms the address).</summary>
    Task<RenderedEmail> RenderEmailVerificationAsync(EmailVerificationEmailModel model, CultureInfo culture);

    /// <summary>Renders the invitation email (the link to choose the first password).</summary>
    Task<RenderedEmail> RenderInvitationAsync(InvitationEmailModel model, CultureInfo culture);
}
