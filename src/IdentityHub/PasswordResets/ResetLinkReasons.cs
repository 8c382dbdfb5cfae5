namespace IdentityHub.PasswordResets;

/// <summary>
/// Why a reset link is refused: the detail of <see cref="Errors.HubErrorCode.ResetLinkInvalid"/>. Only the holder of a
/// real link learns anything beyond <see cref="Invalid"/>, so these say nothing about which emails exist.
/// </summary>
public static class ResetLinkReasons
{
    /// <summary>Not a link of ours, for another tenant, or made useless by a change of the account (its password or security stamp).</summary>
    public const string Invalid = "invalid";

    /// <summary>Older than <see cref="PasswordResetOptions.TokenLifetime"/>.</summary>
    public const string Expired = "expired";

    /// <summary>It already reset the password once.</summary>
    public const string Used = "used";

    /// <summary>A newer reset was asked for since; only the newest link works.</summary>
    public const string Superseded = "superseded";
}
