namespace IdentityHub.Notifications;

/// <summary>What the "your password was changed" email says. Never contains a password.</summary>
/// <param name="RecipientName">How to address the user.</param>
/// <param name="Email">The account's email.</param>
/// <param name="TenantName">The tenant's name.</param>
/// <param name="ChangedAt">When the change happened, in the recipient's time zone if known, else UTC.</param>
/// <param name="TimeZoneName">The time zone <paramref name="ChangedAt"/> is shown in.</param>
/// <param name="ClientName">The application the change came through, if any.</param>
/// <param name="IpAddress">The IP address it came from, if known.</param>
/// <param name="Browser">The browser or program (User-Agent), if known.</param>
/// <param name="SignInUrl">Where to sign in and secure the account if it was not them.</param>
public sealed record PasswordChangedEmailModel(
    string RecipientName,
    string Email,
    string TenantName,
    DateTimeOffset ChangedAt,
    string TimeZoneName,
    string? ClientName,
    string? IpAddress,
    string? Browser,
    string SignInUrl)
{
    /// <summary>Where to ask for a password reset if it was not them (the forgotten-password page of their tenant).</summary>
    public string? ResetPasswordUrl { get; init; }
}
