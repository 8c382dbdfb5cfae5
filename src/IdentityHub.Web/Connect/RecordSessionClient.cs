using IdentityHub.Sessions;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Records which client got tokens of which session (<see cref="SessionClient"/>), the relying parties back-channel
/// logout tells when the session ends: when the authorization endpoint issues a code, and when the password grant
/// issues tokens (inside the token response's transaction). A code exchange or a refresh keeps the client that got
/// the code or the first tokens, so it writes nothing. The issuer recorded is the <c>iss</c> the client's tokens carry.
/// </summary>
internal sealed class RecordSessionClient(SessionService sessions) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
        .UseScopedHandler<RecordSessionClient>()
        // After TokenResponseTransaction's Begin (it runs before RedeemOnce), before its Commit.
        .SetOrder(RedeemOnce.Descriptor.Order + 100)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        var issuing = context.EndpointType == OpenIddictServerEndpointType.Authorization ||
                      context.EndpointType == OpenIddictServerEndpointType.Token && context.Request.IsPasswordGrantType();
        if (!issuing || context.Request.ClientId is not { Length: > 0 } clientId ||
            context.Principal?.GetClaim(HubClaims.SessionId) is not { Length: > 0 } sessionId)
        {
            return;
        }
        var issuer = context.Options.Issuer ?? context.BaseUri ?? throw new InvalidOperationException("The issuer cannot be determined.");
        await sessions.RecordClientAsync(sessionId, clientId, issuer.AbsoluteUri, context.CancellationToken);
    }
}
