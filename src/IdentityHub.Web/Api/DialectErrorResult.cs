using IdentityHub.Errors;

namespace IdentityHub.Web.Api;

/// <summary>
/// A JSON error response that also sets the headers every dialect owes its clients: <c>WWW-Authenticate</c> on
/// 401 (RFC 6750, or the dialect's own challenge) and <c>Retry-After</c> on 429 and 503.
/// </summary>
internal sealed class DialectErrorResult(int statusCode, object body, HubError error, string? challenge = null) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        switch (error.Code)
        {
            case var _ when challenge is not null:
                headers.WWWAuthenticate = challenge;
                break;
            case HubErrorCode.AuthenticationRequired:
                headers.WWWAuthenticate = "Bearer";
                break;
            case HubErrorCode.AccessTokenExpired:
                headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The access token expired\"";
                break;
            case var _ when statusCode == 401:
                headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                break;
        }
        if (error.RetryAfterSeconds is { } retry && statusCode is 429 or 503)
        {
            headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(body, body.GetType(), options: null, contentType: "application/json", context.RequestAborted);
    }
}
