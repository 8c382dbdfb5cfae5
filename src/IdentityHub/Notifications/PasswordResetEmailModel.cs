namespace IdentityHub.Notifications;

/// <summary>What the password-reset email says. Its link is the only secret it carries.</summary>
/// <param name="RecipientName">How to address the user.</param>
/// <param name="Email">The account's email.</param>
/// <param name="TenantName">The tenant's name.</param>
/// <param name="ResetUrl">The single-use link to choose a new password.</param>
/// <param name="ValidForMinutes">How long the link works, in minutes.</param>
/// <param name="IpAddress">The IP address the request came from, if known.</param>
/// <param name="Browser">The browser or program (User-Agent) that asked, if known.</param>
public sealed record PasswordResetEmailModel(
    string RecipientName,
    string Email,
    string TenantName,
    string ResetUrl,
    int ValidForMinutes,
    string? IpAddress,
    string? Browser)
{
    /// <summary>Never print the link.</summary>
    public override string ToString() => $"PasswordResetEmailModel {{ Email = {Email} }}";
}
