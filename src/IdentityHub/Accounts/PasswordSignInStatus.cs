namespace IdentityHub.Accounts;

/// <summary>Whether a password sign-in succeeded.</summary>
public enum PasswordSignInStatus
{
    /// <summary>The password is right and the account may sign in.</summary>
    Succeeded,

    /// <summary>Unknown email or wrong password; deliberately indistinguishable.</summary>
    Failed,

    /// <summary>Too many failures: the account (or this IP, for this account) is locked for a while.</summary>
    LockedOut,

    /// <summary>
    /// Too many failed checks in the last minute from this IP or against this account: refused before any
    /// verification (429). Says nothing about the account: an unknown email is throttled the same way.
    /// </summary>
    Throttled,

    /// <summary>Too many password hashes running: refused before any verification (503), try again shortly.</summary>
    Busy,
}
