using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Connect;

/// <summary>
/// A refresh token or an authorization code is redeemed once, also when it is presented several times at once.
/// OpenIddict reads the token's entry while validating the request and marks it redeemed later, when the response is
/// signed in; requests that read it in between all saw it valid, and a race test showed two of eight concurrent
/// refreshes of one token both answered with new tokens. This handler, just before OpenIddict's own redemption, marks
/// the entry redeemed with one conditional update (<c>WHERE Status = 'valid'</c>): a single statement, atomic on
/// SQLite (one writer) and on PostgreSQL (the row lock, the condition re-checked), so exactly one request wins and the
/// others are refused with <c>invalid_grant</c>. OpenIddict's replay detection then sees the entry redeemed when the
/// token comes back later. With a configured <c>RefreshTokenReuseLeeway</c> (concurrent reuse allowed on purpose),
/// refresh tokens are left to OpenIddict.
/// </summary>
internal sealed class RedeemOnce(IdentityHubDbContext db, TimeProvider clock) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
        .UseScopedHandler<RedeemOnce>()
        .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order - 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token ||
            context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!) is not { } authentication)
        {
            return;
        }
        var principal = context.Request.IsAuthorizationCodeGrantType() ? authentication.AuthorizationCodePrincipal
            : context.Request.IsRefreshTokenGrantType() && context.Options.RefreshTokenReuseLeeway is not { Ticks: > 0 } ? authentication.RefreshTokenPrincipal
            : null;
        if (principal?.GetTokenId() is not { Length: > 0 } tokenId)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var redeemed = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Id == tokenId && t.Status == Statuses.Valid)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, Statuses.Redeemed).SetProperty(t => t.RedemptionDate, now), context.CancellationToken);
        if (redeemed == 0)
        {
            context.Reject(error: OpenIddictConstants.Errors.InvalidGrant, description: "The specified token has already been redeemed.");
        }
    }
}
