namespace IdentityHub.Web.Connect;

/// <summary>The cookie that keeps a browser signed in to the identity provider itself.</summary>
internal static class SessionCookie
{
    public const string Scheme = "IdentityHub.Session";
    public const string LoginPath = "/Account/Login";
    public const string ReauthenticatePath = "/Account/Reauthenticate";
}
