namespace IdentityHub.Sessions;

/// <summary>Which sessions a password change ends.</summary>
public enum SessionRevocation
{
    /// <summary>Every session, OpenIddict authorization and token of the user (the API dialects: the caller gets new tokens).</summary>
    All,

    /// <summary>All of them except the session that made the change (the page's "sign out my other sessions").</summary>
    AllButCurrent,

    /// <summary>
    /// None: the security stamp rotates and every active session moves to the new stamp, so all stay signed in (the
    /// page, with that option unticked).
    /// </summary>
    None,
}
