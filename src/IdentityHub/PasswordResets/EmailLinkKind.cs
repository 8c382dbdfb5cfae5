namespace IdentityHub.PasswordResets;

/// <summary>What an emailed link with a token of <see cref="PasswordResetTokens"/> is for; a token of one kind never works as another.</summary>
public enum EmailLinkKind
{
    /// <summary>"Forgot password": choose a new password (<see cref="PasswordResetOptions.TokenLifetime"/>).</summary>
    PasswordReset,

    /// <summary>An invitation: choose the first password, through the reset's page and API (<see cref="Invitations.InvitationOptions.TokenLifetime"/>).</summary>
    Invitation,

    /// <summary>Verify the account's email (<see cref="EmailVerification.EmailVerificationOptions.TokenLifetime"/>).</summary>
    EmailVerification,
}
