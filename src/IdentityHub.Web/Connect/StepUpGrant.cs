using IdentityHub.Accounts;
using IdentityHub.Passwords;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Step-up at the token endpoint: a client re-authenticates the user behind one of its access tokens by presenting
/// that token and the user's current password, and receives a short-lived step-up token. The standard form is RFC
/// 8693 token exchange (<c>grant_type=urn:ietf:params:oauth:grant-type:token-exchange</c>,
/// <c>requested_token_type=urn:identityhub:params:oauth:token-type:step-up</c>, the access token as
/// <c>subject_token</c>, the password as an extra parameter), which stock OAuth libraries speak; OpenIddict has
/// already validated its parameters and the subject token. The original grant type
/// (<c>urn:identityhub:params:oauth:grant-type:step-up</c>, same parameters) stays as an alias with the same answer.
/// Either way the response is RFC 8693's: <c>token_type</c> <c>N_A</c>, because a step-up token is not an access token.
/// </summary>
internal static class StepUpGrant
{
    public const string GrantType = "urn:identityhub:params:oauth:grant-type:step-up";
    public const string IssuedTokenType = "urn:identityhub:params:oauth:token-type:step-up";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public static async Task<IResult> HandleAsync(HttpContext context, OpenIddictRequest request)
    {
        var services = context.RequestServices;
        var subjectToken = (string?)request[OpenIddictConstants.Parameters.SubjectToken];
        var subjectTokenType = (string?)request[OpenIddictConstants.Parameters.SubjectTokenType];
        if (string.IsNullOrEmpty(subjectToken) || string.IsNullOrEmpty(request.Password) ||
            (subjectTokenType is not null && subjectTokenType != AccessTokenType))
        {
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidRequest,
                $"The step-up grant needs subject_token (an access token, subject_token_type={AccessTokenType}) and password.");
        }

        if (PasswordNormalizer.IsTooLong(request.Password))
        {
            // Malformed, refused before the subject token is even looked at: no hash, no lockout count.
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidRequest, OAuthErrors.PasswordTooLong);
        }

        var validated = await services.GetRequiredService<AccountTokenValidator>().ValidateAsync(subjectToken, context.RequestAborted);
        // The access token must have been issued to the client asking, so one client cannot step up another's user.
        if (validated is not { Succeeded: true, Value: var subject } || subject.ClientId != request.ClientId)
        {
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidGrant, "The subject token is not a valid access token of this client.");
        }

        var check = await services.GetRequiredService<PasswordSignInService>()
            .ReauthenticateAsync(subject.UserId, request.Password, HttpOrigin.From(context, request.ClientId, subject.SessionId));
        if (!check.Succeeded)
        {
            return OAuthErrors.PasswordCheckFailed(check, "The password is invalid, or the account is temporarily locked.");
        }

        await services.GetRequiredService<SessionService>().MarkReauthenticatedAsync(subject.SessionId, context.RequestAborted);
        var (token, expiresAt) = services.GetRequiredService<StepUpTokenService>()
            .Issue(check.Value, subject.SessionId, request.ClientId, HttpOrigin.Issuer(context).AbsoluteUri);
        var lifetime = services.GetRequiredService<IOptions<StepUpOptions>>().Value.Lifetime;

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["issued_token_type"] = IssuedTokenType,
            ["token_type"] = "N_A",
            ["expires_in"] = (long)lifetime.TotalSeconds,
        });
    }
}
