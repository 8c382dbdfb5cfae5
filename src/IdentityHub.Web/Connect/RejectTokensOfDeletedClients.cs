using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// A token of a deleted client is refused (introspection <c>{"active": false}</c>, a refresh <c>invalid_grant</c>). A
/// user's tokens lose their entries with the client (OpenIddict's store deletes them), but a client-credentials access
/// token has no entry (<see cref="SkipUnrevokedTokenEntries"/>): without this check it would stay valid until it expires.
/// The lookup is the application manager's, cached (<see cref="CachingApplicationManager{TApplication}"/>), and a
/// deletion through it is seen at once in this process, within the cache's lifetime on other instances.
/// </summary>
internal sealed class RejectTokensOfDeletedClients(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseScopedHandler<RejectTokensOfDeletedClients>()
        .SetOrder(RejectTokensOfEndedSessions.Descriptor.Order + 1_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        var principal = context.Principal;
        if (principal is null || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
        {
            return;
        }
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (!string.IsNullOrEmpty(clientId) && await applications.FindByClientIdAsync(clientId, context.CancellationToken) is null)
        {
            context.Reject(error: OpenIddictConstants.Errors.InvalidToken, description: "The client of this token no longer exists.");
        }
    }
}
