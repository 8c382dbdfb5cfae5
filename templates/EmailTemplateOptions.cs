namespace IdentityHub.Templates;

/// <summary>
/// Which Razor components render each email. A host substitutes its own with
/// <c>services.Configure&lt;EmailTemplateOptions&gt;(o =&gt; o.PasswordChangedHtml = typeof(MyEmail))</c>; a replacement
/// takes the same parameters (<c>Model</c>, <c>Context</c>) and sets <c>Context.Subject</c> in its HTML part.
/// </summary>
public sealed class EmailTemplateOptions
{
    /// <summary>HTML part of the password-changed email. Default <see cref="PasswordChangedEmail"/>.</summary>
    public Type PasswordChangedHtml { get; set; } = typeof(PasswordChangedEmail);

    /// <summary>Text part of the password-changed email. Default <see cref="PasswordChangedEmailText"/>.</summary>
    public Type PasswordChangedText { get; set; } = typeof(PasswordChangedEmailText);

    /// <summary>HTML part of the password-reset email. Default <see cref="PasswordResetEmail"/>.</summary>
    public Type PasswordResetHtml { get; set; } = typeof(PasswordResetEmail);

    /// <summary>Text part of the password-reset email. Default <see cref="PasswordResetEmailText"/>.</summary>
    public Type PasswordResetText { get; set; } = typeof(PasswordResetEmailText);

    /// <summary>HTML part of the email-verification email. Default <see cref="EmailVerificationEmail"/>.</summary>
    public Type EmailVerificationHtml { get; set; } = typeof(EmailVerificationEmail);

    /// <summary>Text part of the email-verification email. Default <see cref="EmailVerificationEmailText"/>.</summary>
    public Type EmailVerificationText { get; set; } = typeof(EmailVerificationEmailText);

    /// <summary>HTML part of the invitation email. Default <see cref="InvitationEmail"/>.</summary>
    public Type InvitationHtml { get; set; } = typeof(InvitationEmail);

    /// <summary>Text part of the invitation email. Default <see cref="InvitationEmailText"/>.</summary>
    public Type InvitationText { get; set; } = typeof(InvitationEmailText);
}
