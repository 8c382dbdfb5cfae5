using IdentityHub.Passwords;
using IdentityHub.Errors;
using OpenIddict.Abstractions;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;

namespace IdentityHub.Web.Connect;

/// <summary>OAuth errors of the passthrough endpoints, written by OpenIddict in the protocol's own shape.</summary>
internal static class OAuthErrors
{
    /// <summary>The description of the <c>invalid_request</c> that answers an overlong password at a grant.</summary>
    public static readonly string PasswordTooLong = $"The password is longer than {PasswordNormalizer.MaxInputLength} characters.";
    /// <summary>
    /// The error code of a "try again later" answer (throttled: 429, hash gate full: 503), always with
    /// <c>Retry-After</c>. Of the registered OAuth error codes it is the only one that means "nothing is wrong with
    /// your request or credentials, retry later": <c>invalid_request</c> would tell the client to fix a request that
    /// is fine, <c>invalid_grant</c> that the password is wrong (clients then prompt again or drop the credentials),
    /// and <c>slow_down</c> belongs to device-flow polling (RFC 8628). RFC 6749 registers it for the authorization
    /// endpoint; identity providers answer it at the token endpoint too, and the status code says which case it is.
    /// </summary>
    public const string TryLaterError = "temporarily_unavailable";

    public static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>
    /// A throttled (429) or busy (503) answer of the token endpoint in RFC 6749 §5.2's JSON shape. Written here rather
    /// than by OpenIddict, whose errors are always 400.
    /// </summary>
    public static IResult TryLater(int statusCode, int retryAfterSeconds, string description) => new TryLaterResult(statusCode, retryAfterSeconds, description);

    /// <summary>
    /// The token endpoint's answer to a failed password check (a grant's one mapper of core errors): throttled 429 and
    /// busy 503 with <c>Retry-After</c>; anything else — a wrong password, an unknown account, a locked one — is the
    /// one <c>invalid_grant</c> with <paramref name="description"/>, which does not tell them apart.
    /// </summary>
    public static IResult PasswordCheckFailed(HubResult check, string description) => check.Error switch
    {
        { Code: HubErrorCode.RateLimited } error => Throttled(error.RetryAfterSeconds ?? 1),
        { Code: HubErrorCode.ServiceBusy } error => Busy(error.RetryAfterSeconds ?? 1),
        // Only after the right password: the owner learns why, a guesser learns nothing it did not know.
        { Code: HubErrorCode.AccountDisabled } => Forbid(OpenIddictConstants.Errors.InvalidGrant, "The account is disabled."),
        _ => Forbid(OpenIddictConstants.Errors.InvalidGrant, description),
    };

    /// <summary>
    /// The password grant's answer for an account whose password must be changed first (an administrator asked for
    /// it): no token is issued until the person has chosen a new password on the self-service pages.
    /// </summary>
    public static IResult PasswordChangeRequired() => Forbid(OpenIddictConstants.Errors.InvalidGrant,
        "The password must be changed before this account can be used: sign in on the sign-in page to choose a new one.");

    /// <summary>429: too many failed attempts from the client's address or for the account.</summary>
    public static IResult Throttled(int retryAfterSeconds) => TryLater(StatusCodes.Status429TooManyRequests, retryAfterSeconds,
        "Too many failed attempts from this address or for this account. Try again after the Retry-After delay.");

    /// <summary>503: the password hash gate is full.</summary>
    public static IResult Busy(int retryAfterSeconds) => TryLater(StatusCodes.Status503ServiceUnavailable, retryAfterSeconds,
        "The server is busy. Try again after the Retry-After delay.");

    private sealed class TryLaterResult(int statusCode, int retryAfterSeconds, string description) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = statusCode;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = TryLaterError, ["error_description"] = description },
                options: null, contentType: "application/json;charset=UTF-8", context.RequestAborted);
        }
    }
}
