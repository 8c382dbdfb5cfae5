namespace IdentityHub.Accounts;

/// <summary>Whether a password sign-in succeeded.</summary>
public enum PasswordSignInStatus
{
    /// <summary>The password is right and the account may sign in.</summary>
    Succeeded,

    /// <summary>Unknown email or wrong password; deliberately indistinguishable.</summary>
    Failed,

    /// <summary>Too many failures: the account is locked for a while.</summary>
    LockedOut,
}
