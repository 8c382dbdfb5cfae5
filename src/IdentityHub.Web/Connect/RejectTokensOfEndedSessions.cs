using IdentityHub.Sessions;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Every access token, refresh token and authorization code the server validates must belong to an active sign-in
/// session (<see cref="SessionService.IsActiveAsync"/>): not signed out, no password change since it started, within
/// its lifetimes. One check for every endpoint that takes a token: a refresh is refused (<c>invalid_grant</c>),
/// userinfo answers 401 <c>invalid_token</c>, introspection says <c>{"active": false}</c>, revocation has nothing
/// left to do. OpenIddict's token entries alone would not cover a session ended by a password change that kept the
/// entries (the page's "keep my other sessions" does not), nor one ended by its lifetimes.
/// Identity tokens are left alone: an expired or ended session's id_token is still a valid hint for sign-out.
/// </summary>
internal sealed class RejectTokensOfEndedSessions(SessionService sessions) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseScopedHandler<RejectTokensOfEndedSessions>()
        // After every built-in check (principal, expiry, token and authorization entries): a token that fails those
        // costs no session lookup.
        .SetOrder(OpenIddictServerHandlers.Protection.ValidateAuthorizationEntry.Descriptor.Order + 1_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        var principal = context.Principal;
        if (principal is null ||
            !(principal.HasTokenType(TokenTypeIdentifiers.AccessToken) ||
              principal.HasTokenType(TokenTypeIdentifiers.RefreshToken) ||
              principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode)))
        {
            return;
        }
        // Client-credentials tokens name no session and speak for no user.
        if (principal.GetClaim(HubClaims.SessionId) is not { Length: > 0 } sessionId)
        {
            return;
        }
        if (!Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId) ||
            !await sessions.IsActiveAsync(sessionId, userId, context.CancellationToken))
        {
            context.Reject(error: OpenIddictConstants.Errors.InvalidToken, description: "The sign-in session of this token has ended.");
        }
    }
}
