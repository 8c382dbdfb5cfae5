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
    public async Task<HubResult<Caller>> AuthenticateAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ResultKey, out var kept) && kept is HubResult<Caller> result)
        {
            return result;
        }
        result = await AuthenticateHeaderAsync(context);
        context.Items[ResultKey] = result;
        return result;
    }

    /// <summary>The caller already authenticated for this request, if any.</summary>
    public static Caller? AuthenticatedCaller(HttpContext context) =>
        context.Items.TryGetValue(ResultKey, out var kept) && kept is HubResult<Caller> { Succeeded: true } result ? result.Value : null;

    private async Task<HubResult<Caller>> AuthenticateHeaderAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return HubResult<Caller>.Failed(HubErrorCode.AuthenticationRequired);
        }
        return BearerToken.Read(header) is { } token
            ? await tokens.ValidateAsync(token, context.RequestAborted)
            : HubResult<Caller>.Failed(HubErrorCode.Unauthenticated);
    }
}
