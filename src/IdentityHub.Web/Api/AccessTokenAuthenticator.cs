using IdentityHub.Errors;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api;

/// <summary>
/// Authenticates the bearer token of an account API request, the same way for every dialect: the token is validated
/// by <see cref="AccountTokenValidator"/> (OpenIddict's checks, the account audience, an active session), and a refusal
/// becomes the error the dialects map.
/// </summary>
internal sealed class AccessTokenAuthenticator(AccountTokenValidator tokens)
{
    private static readonly object ResultKey = new();

    /// <summary>
    /// Authenticates the request's <c>Authorization: Bearer</c> token, once per request: the result is kept on the
    /// request, so the rate limiter (which partitions on the caller, see <see cref="AccountApiRateLimiting"/>) and the
    /// endpoint share one validation.
    /// </summary>
    public async Task<(Caller? Caller, HubError? Error)> AuthenticateAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ResultKey, out var kept) && kept is ValueTuple<Caller?, HubError?> result)
        {
            return result;
        }
        result = await AuthenticateHeaderAsync(context);
        context.Items[ResultKey] = result;
        return result;
    }

    /// <summary>The caller already authenticated for this request, if any.</summary>
    public static Caller? AuthenticatedCaller(HttpContext context) =>
        context.Items.TryGetValue(ResultKey, out var kept) && kept is ValueTuple<Caller?, HubError?> result ? result.Item1 : null;

    private async Task<(Caller? Caller, HubError? Error)> AuthenticateHeaderAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return (null, new HubError(HubErrorCode.AuthenticationRequired));
        }
        if (BearerToken.Read(header) is not { } token)
        {
            return (null, new HubError(HubErrorCode.Unauthenticated));
        }
        var (account, expired) = await tokens.ValidateAsync(token, context.RequestAborted);
        return account is null
            ? (null, new HubError(expired ? HubErrorCode.AccessTokenExpired : HubErrorCode.Unauthenticated))
            : (new Caller(account.UserId, account.TenantId, account.SessionId, account.ClientId, account.AuthTime), null);
    }
}
