using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Tokens nobody ever needs to revoke get no database entry:
/// - access tokens issued to a client for itself (client credentials): such a token speaks for no user, so no password
///   change or sign-out ever needs to revoke it; it is short-lived and self-contained. Skipping the insert removes the
///   one SQLite write per request from the hottest path of the token endpoint;
/// - identity tokens: an assertion to the client about a sign-in, never accepted as a credential (only as a sign-out
///   hint, which stays valid after the session ends, see <see cref="RejectTokensOfEndedSessions"/>). One write fewer
///   per code exchange and refresh.
/// User access tokens, refresh tokens and codes keep their entries: a password change revokes them.
/// </summary>
internal sealed class SkipUnrevokedTokenEntries : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
        .UseSingletonHandler<SkipUnrevokedTokenEntries>()
        .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType == OpenIddictConstants.TokenTypeIdentifiers.IdentityToken ||
            (context.TokenType == OpenIddictConstants.TokenTypeIdentifiers.AccessToken &&
             context.Transaction.Request?.IsClientCredentialsGrantType() == true))
        {
            context.CreateTokenEntry = false;
        }
        return ValueTask.CompletedTask;
    }
}
