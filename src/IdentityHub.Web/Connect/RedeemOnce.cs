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
/// signed in; requests that read it in between all saw it valid. OpenIddict's own redemption (<c>RedeemTokenEntry</c>,
/// removed, this handler takes its place) updates the entry it read, guarded by its concurrency token, and for a
/// refresh token it ignores a failed update: a race test had two of eight concurrent refreshes of one token answered,
/// and all eight once the writes shared a transaction (which held the first winner's commit back until every request
/// had read the entry). Here the entry is marked redeemed with one conditional update (<c>WHERE Status = 'valid'</c>)
/// inside the response's transaction (<see cref="TokenResponseTransaction"/>): atomic on SQLite (the write lock is
/// taken when the transaction begins, so the update reads the latest commit) and on PostgreSQL (the row lock, the
/// condition re-checked after a concurrent commit), so exactly one request wins and the others are refused with
/// <c>invalid_grant</c>, their transactions rolled back. OpenIddict's replay detection then sees the entry redeemed
/// when the token comes back later. With a configured <c>RefreshTokenReuseLeeway</c> (concurrent reuse allowed on
/// purpose) a refresh token's first redemption is recorded and a lost race is not refused, as OpenIddict does; with
/// rolling refresh tokens disabled, a refresh token is not redeemed at all.
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
        var refresh = context.Request.IsRefreshTokenGrantType();
        var principal = context.Request.IsAuthorizationCodeGrantType() ? authentication.AuthorizationCodePrincipal
            : refresh && !context.Options.DisableRollingRefreshTokens ? authentication.RefreshTokenPrincipal
            : null;
        if (principal?.GetTokenId() is not { Length: > 0 } tokenId)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var redeemed = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Id == tokenId && t.Status == Statuses.Valid)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, Statuses.Redeemed).SetProperty(t => t.RedemptionDate, now), context.CancellationToken);
        if (redeemed == 0 && !(refresh && context.Options.RefreshTokenReuseLeeway is { Ticks: > 0 }))
        {
            context.Reject(error: OpenIddictConstants.Errors.InvalidGrant, description: "The specified token has already been redeemed.");
        }
    }
}
