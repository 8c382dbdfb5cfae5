namespace IdentityHub.PasswordChanges;

/// <summary>Who started a password change, as its receipt records it (<see cref="PasswordChange.Initiator"/>).</summary>
public static class PasswordChangeInitiators
{
    /// <summary>The person, proving presence (any dialect or the page).</summary>
    public const string User = "user";

    /// <summary>The person, through an emailed reset link or invitation.</summary>
    public const string Reset = "reset";

    /// <summary>An administrator (the admin API or the command line).</summary>
    public const string Admin = "admin";
}
