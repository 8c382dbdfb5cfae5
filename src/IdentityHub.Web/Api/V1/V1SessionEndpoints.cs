using IdentityHub.Errors;
using IdentityHub.Sessions;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// The caller's own sign-in sessions in the v1 dialect: <c>GET /v1/users/me/sessions</c> lists the active ones,
/// <c>DELETE /v1/users/me/sessions/{id}</c> ends one (204), its tokens with it. The caller is the user of the bearer
/// token (the same authentication as <c>POST /v1/users/me/password</c>, <c>X-Tenant-ID</c> included), so a token only
/// ever sees and ends its own user's sessions.
/// </summary>
internal static class V1SessionEndpoints
{
    public static RouteGroupBuilder MapV1Sessions(this RouteGroupBuilder v1)
    {
        v1.MapGet("/users/me/sessions", ListAsync)
            .WithName("V1ListSessions")
            .WithSummary("The current user's active sign-in sessions (device, IP, client, started, last used)")
            .Produces<V1SessionList>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests);
        v1.MapDelete("/users/me/sessions/{id}", SignOutAsync)
            .WithName("V1EndSession")
            .WithSummary("Sign out one of the current user's sessions; its tokens stop working at once. 404 for any id that is not an active session of the caller")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests);
        return v1;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccessTokenAuthenticator tokens, OwnSessionsService sessions)
    {
        var caller = await AuthenticateAsync(context, tokens);
        if (!caller.Succeeded)
        {
            return V1Dialect.Instance.ToResult(caller.Errors);
        }
        var active = await sessions.ListAsync(caller.Value.UserId, context.RequestAborted);
        return Results.Ok(new V1SessionList([.. active.Select(s => V1Session.From(s, caller.Value.SessionId))]));
    }

    private static async Task<IResult> SignOutAsync(string id, HttpContext context, AccessTokenAuthenticator tokens, OwnSessionsService sessions)
    {
        var caller = await AuthenticateAsync(context, tokens);
        if (!caller.Succeeded)
        {
            return V1Dialect.Instance.ToResult(caller.Errors);
        }
        var (userId, tenantId, sessionId, clientId, _) = caller.Value;
        var ended = await sessions.SignOutAsync(userId, tenantId, id, HttpOrigin.From(context, clientId, sessionId), context.RequestAborted);
        return ended.Succeeded ? Results.NoContent() : V1Dialect.Instance.ToResult(ended.Errors);
    }

    /// <summary>The bearer token's user (an active session, the account audience), then the <c>X-Tenant-ID</c> check.</summary>
    internal static async Task<HubResult<Caller>> AuthenticateAsync(HttpContext context, AccessTokenAuthenticator tokens)
    {
        var caller = await tokens.AuthenticateAsync(context);
        if (!caller.Succeeded)
        {
            return caller;
        }
        var check = await V1Dialect.Instance.CheckCallerAsync(context, caller.Value);
        return check.Succeeded ? caller : HubResult<Caller>.FailedLike(check);
    }
}
