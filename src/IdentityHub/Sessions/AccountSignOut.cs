using IdentityHub.Accounts;
using OpenIddict.Abstractions;

namespace IdentityHub.Sessions;

/// <summary>
/// Ends a user's sessions everywhere after a password change: our session rows and OpenIddict's authorizations and
/// tokens. Kept apart from <see cref="SessionService"/>, which every authenticated request uses, so that those requests
/// do not build OpenIddict's managers they never need.
/// </summary>
public sealed class AccountSignOut(SessionService sessions, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens)
{
    /// <summary>
    /// Applies a password change to the user's sessions, inside the change's transaction, after its security stamp
    /// rotated from <paramref name="previousStamp"/>: the sessions it keeps (the current one for
    /// <see cref="SessionRevocation.AllButCurrent"/>, all for <see cref="SessionRevocation.None"/>) move to the new
    /// stamp; the others end, with every OpenIddict authorization and token of the user (refresh tokens, stored access tokens).
    /// </summary>
    public async Task AfterPasswordChangeAsync(HubUser user, string? previousStamp, SessionRevocation revoke, string? currentSessionId,
        CancellationToken cancellationToken = default)
    {
        var keep = revoke == SessionRevocation.AllButCurrent ? currentSessionId : null;
        if (revoke == SessionRevocation.None || keep is not null)
        {
            await sessions.KeepAcrossStampChangeAsync(user.Id, previousStamp, user.SecurityStamp, keep, cancellationToken);
        }
        if (revoke == SessionRevocation.None)
        {
            return;
        }
        await EndAllAsync(user, keep, cancellationToken);
    }

    /// <summary>
    /// Ends every session of the user (but <paramref name="keep"/>, if given) with every OpenIddict authorization and
    /// token of the user: an administrator's revocation, disabling or deletion. Tokens carrying an ended session's id
    /// stop working at once (introspection inactive, refresh refused).
    /// </summary>
    public async Task EndAllAsync(HubUser user, string? keep = null, CancellationToken cancellationToken = default)
    {
        var subject = user.Id.ToString();
        await sessions.RevokeAllAsync(user.Id, keep, cancellationToken);
        await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
        await tokens.RevokeBySubjectAsync(subject, cancellationToken);
    }
}
