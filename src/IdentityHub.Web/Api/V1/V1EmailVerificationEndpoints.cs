using IdentityHub.EmailVerification;
using IdentityHub.Errors;
using IdentityHub.Notifications;

namespace IdentityHub.Web.Api.V1;

/// <summary>
/// <c>POST /v1/users/me/email-verifications</c>: emails the caller a link that verifies their address (202). The caller
/// is the user of the bearer token (an active session, the account audience, <c>X-Tenant-ID</c>), as for the other
/// <c>/v1/users/me</c> endpoints. At most one email per user per <c>EmailVerification:ResendInterval</c> (429 with
/// <c>Retry-After</c>); an address already verified is 400.
/// </summary>
internal static class V1EmailVerificationEndpoints
{
    public static RouteGroupBuilder MapV1EmailVerifications(this RouteGroupBuilder v1)
    {
        v1.MapPost("/users/me/email-verifications", SendAsync)
            .WithName("V1SendEmailVerification")
            .WithSummary("Email the current user a link that verifies their email address; at most one per user per interval")
            .Produces(StatusCodes.Status202Accepted)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests)
            .Produces<V1ErrorBody>(StatusCodes.Status500InternalServerError);
        return v1;
    }

    private static async Task<IResult> SendAsync(HttpContext context, AccessTokenAuthenticator tokens, EmailVerificationService verifications)
    {
        var caller = await V1SessionEndpoints.AuthenticateAsync(context, tokens);
        if (!caller.Succeeded)
        {
            return V1Dialect.Instance.ToResult(caller.Errors);
        }
        if (!LocaleParameter.TryNormalize(context.Request.Query["locale"].ToString(), out var locale))
        {
            return V1Dialect.Instance.ToResult([new HubError(HubErrorCode.InvalidRequest, HubField.Locale, ["invalid_locale"])]);
        }
        var (userId, _, sessionId, clientId, _) = caller.Value;
        var sent = await verifications.SendAsync(userId, new EmailLinkContext(HttpOrigin.From(context, clientId, sessionId))
        {
            Locale = locale,
            PreferredLocales = HttpOrigin.AcceptLanguages(context),
            Issuer = HttpOrigin.Issuer(context),
        }, context.RequestAborted);
        return sent.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : V1Dialect.Instance.ToResult(sent.Errors);
    }
}
