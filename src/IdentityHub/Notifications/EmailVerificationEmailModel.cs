namespace IdentityHub.Notifications;

/// <summary>What the email-verification email says. Its link is the only secret it carries.</summary>
/// <param name="RecipientName">How to address the user.</param>
/// <param name="Email">The address to verify.</param>
/// <param name="TenantName">The tenant's name.</param>
/// <param name="VerifyUrl">The link that confirms the address.</param>
/// <param name="ValidForHours">How long the link works, in hours.</param>
public sealed record EmailVerificationEmailModel(string RecipientName, string Email, string TenantName, string VerifyUrl, int ValidForHours)
{
    /// <summary>Never print the link.</summary>
    public override string ToString() => $"EmailVerificationEmailModel {{ Email = {Email} }}";
}
