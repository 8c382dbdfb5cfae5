namespace IdentityHub.Passwords;

/// <summary>
/// What is known about the account whose password is being checked; used by the
/// <c>contains_user_info</c> rule and fed to the strength estimator as user-specific dictionary words.
/// Every member is optional: pass what the flow has (a sign-up may not know the display name yet).
/// </summary>
/// <param name="Email">
/// The account's e-mail address. Only the local part (before the last <c>@</c>) is used, whole and
/// split on <c>. _ - +</c>; the domain is ignored because it is shared by every user of a tenant and
/// would block common words such as <c>com</c>.
/// </param>
/// <param name="UserName">
/// The login name. When it contains <c>@</c> it is treated like <paramref name="Email"/>.
/// </param>
/// <param name="DisplayName">The person's display name; its whitespace/punctuation-separated parts are used too.</param>
/// <param name="TenantName">The organisation (tenant) name; its separated parts are used too.</param>
public sealed record PasswordSubject(string? Email, string? UserName, string? DisplayName, string? TenantName)
{
    /// <summary>A subject with nothing known, for flows that validate a password without an account (e.g. policy previews).</summary>
    public static PasswordSubject None { get; } = new(null, null, null, null);
}
