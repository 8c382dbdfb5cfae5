namespace IdentityHub.Passwords;

/// <summary>Which sessions a password change ends.</summary>
public enum SessionRevocation
{
    /// <summary>Every session, OpenIddict authorization and token of the user (the API dialects: the caller gets new tokens).</summary>
    All,

    /// <summary>All of them except the session that made the change (the page's "sign out my other sessions").</summary>
    AllButCurrent,

    /// <summary>None: only the security stamp rotates (the page, with that option unticked).</summary>
    None,
}
