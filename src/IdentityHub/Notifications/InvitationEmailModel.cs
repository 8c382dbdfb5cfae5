namespace IdentityHub.Notifications;

/// <summary>What the invitation email says. Its link is the only secret it carries.</summary>
/// <param name="RecipientName">How to address the user.</param>
/// <param name="Email">The account's email, its sign-in name.</param>
/// <param name="TenantName">The tenant's name.</param>
/// <param name="InvitationUrl">The single-use link to choose the first password.</param>
/// <param name="ValidForDays">How long the link works, in days.</param>
public sealed record InvitationEmailModel(string RecipientName, string Email, string TenantName, string InvitationUrl, int ValidForDays)
{
    /// <summary>Never print the link.</summary>
    public override string ToString() => $"InvitationEmailModel {{ Email = {Email} }}";
}
