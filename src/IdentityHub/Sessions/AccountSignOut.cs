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
    /// The logout tokens owed carry <paramref name="receiptId"/>, the change's receipt; returns what ended.
    /// </summary>
    public async Task<SignOutCounts> AfterPasswordChangeAsync(HubUser user, string? previousStamp, SessionRevocation revoke, string? currentSessionId,
        Guid receiptId, CancellationToken cancellationToken = default)
    {
        var keep = revoke == SessionRevocation.AllButCurrent ? currentSessionId : null;
        if (revoke == SessionRevocation.None || keep is not null)
        {
            await sessions.KeepAcrossStampChangeAsync(user.Id, previousStamp, user.SecurityStamp, keep, cancellationToken);
        }
        if (revoke == SessionRevocation.None)
        {
            return default;
        }
        return await EndAllAsync(user, keep, receiptId, cancellationToken);
    }

    /// <summary>
    /// Ends every session of the user (but <paramref name="keep"/>, if given) with every OpenIddict authorization and
    /// token of the user: an administrator's revocation, disabling or deletion. Tokens carrying an ended session's id
    /// stop working at once (introspection inactive, refresh refused). Returns the sessions ended, and the
    /// authorizations and tokens that were valid until now (those already redeemed, revoked or inactive are revoked
    /// too, and not counted: a receipt says what the change took away).
    /// </summary>
    public async Task<SignOutCounts> EndAllAsync(HubUser user, string? keep = null, Guid? receiptId = null, CancellationToken cancellationToken = default)
    {
        var subject = user.Id.ToString();
        var ended = await sessions.RevokeAllAsync(user.Id, keep, receiptId, cancellationToken);
        var validAuthorizations = await authorizations.RevokeAsync(subject, client: null, OpenIddictConstants.Statuses.Valid, type: null, cancellationToken);
        var validTokens = await tokens.RevokeAsync(subject, client: null, OpenIddictConstants.Statuses.Valid, type: null, cancellationToken);
        // The rest (a redeemed refresh token still inside its reuse leeway, a pending device code) ends too, as before.
        await tokens.RevokeBySubjectAsync(subject, cancellationToken);
        return new SignOutCounts(ended, validAuthorizations, validTokens);
    }
}
