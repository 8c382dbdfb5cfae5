namespace IdentityHub.Accounts;

/// <summary>The outcome of <see cref="PasswordSignInService.CheckAsync"/>.</summary>
public sealed record PasswordSignInResult(PasswordSignInStatus Status, HubUser? User)
{
    internal static PasswordSignInResult Succeeded(HubUser user) => new(PasswordSignInStatus.Succeeded, user);
    internal static PasswordSignInResult Failed(HubUser? user) => new(PasswordSignInStatus.Failed, user);
    internal static PasswordSignInResult LockedOut(HubUser user) => new(PasswordSignInStatus.LockedOut, user);
}
