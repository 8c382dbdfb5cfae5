using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Invitations;

/// <summary>Invitations (an account created without a password, and a link to choose it). Bound from <c>IdentityHub:Invitations</c>.</summary>
public sealed class InvitationOptions
{
    /// <summary>How long an invitation's link works after it was sent. Default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
