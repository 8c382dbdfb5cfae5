using IdentityHub.Administration;
using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// The caller's own password-change receipts in the v1 dialect: <c>GET /v1/users/me/password-changes/{id}</c> (the
/// <c>Location</c> of a v1 change, the <c>Password-Change-Id</c> of every dialect) and the list, newest first. The
/// caller is the user of the bearer token (the same authentication as <c>POST /v1/users/me/password</c>,
/// <c>X-Tenant-ID</c> included), so a token only ever reads its own user's receipts: any other id, malformed ones
/// included, answers the same 404.
/// </summary>
internal static class V1PasswordChangeEndpoints
{
    public static RouteGroupBuilder MapV1PasswordChanges(this RouteGroupBuilder v1)
    {
        v1.MapGet("/users/me/password-changes", ListAsync)
            .WithName("V1ListPasswordChanges")
            .WithSummary("The current user's password changes, newest first, a page at a time (page from 1, size up to 100)")
            .Produces<V1PasswordChangeList>(StatusCodes.Status200OK)
            .ProducesReceiptErrors();
        v1.MapGet("/users/me/password-changes/{id}", ReadAsync)
            .WithName("V1ReadPasswordChange")
            .WithSummary("One of the current user's password changes: sessions ended, authorizations and tokens revoked, each delivery's status. 404 for any id that is not a change of the caller")
            .Produces<V1PasswordChange>(StatusCodes.Status200OK)
            .ProducesReceiptErrors();
        return v1;
    }

    private static async Task<IResult> ReadAsync(string id, HttpContext context, AccessTokenAuthenticator tokens, PasswordChangeReceipts receipts)
    {
        var caller = await V1SessionEndpoints.AuthenticateAsync(context, tokens);
        if (!caller.Succeeded)
        {
            return V1Dialect.Instance.ToResult(caller.Errors);
        }
        // A malformed id names no receipt of the caller: the same answer as another user's.
        var found = Guid.TryParse(id, out var receiptId)
            ? await receipts.FindAsync(caller.Value.TenantId, caller.Value.UserId, receiptId, context.RequestAborted)
            : null;
        return found is null
            ? V1Dialect.Instance.ToResult([new HubError(HubErrorCode.PasswordChangeNotFound)])
            : Results.Ok(V1PasswordChange.ForUser(found));
    }

    private static async Task<IResult> ListAsync(string? page, string? size, HttpContext context, AccessTokenAuthenticator tokens, PasswordChangeReceipts receipts)
    {
        var caller = await V1SessionEndpoints.AuthenticateAsync(context, tokens);
        if (!caller.Succeeded)
        {
            return V1Dialect.Instance.ToResult(caller.Errors);
        }
        var paging = Paging.Read(page, size);
        var found = paging.Succeeded
            ? await receipts.ListAsync(caller.Value.TenantId, caller.Value.UserId, paging.Value.Page, paging.Value.Size, context.RequestAborted)
            : HubResult<Paged<PasswordChangeReceiptView>>.FailedLike(paging);
        return found.Succeeded
            ? Results.Ok(new V1PasswordChangeList([.. found.Value.Items.Select(V1PasswordChange.ForUser)], found.Value.Page, found.Value.Size, found.Value.Total))
            : V1Dialect.Instance.ToResult(found.Errors);
    }

    private static RouteHandlerBuilder ProducesReceiptErrors(this RouteHandlerBuilder builder) => builder
        .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
        .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
        .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
        .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
        .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests);
}
