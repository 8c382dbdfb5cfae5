using System.Globalization;
using IdentityHub.Errors;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// The pages' answer to a password check that was throttled (429) or refused by the hash gate (503): the same page
/// with a localized message, the status and <c>Retry-After</c>, so that scripts and proxies see what a person reads.
/// </summary>
internal static class TryLaterPage
{
    /// <summary>The page result for a throttled or busy check, else null; <paramref name="errorKey"/> names its message.</summary>
    public static PageResult? For(PageModel page, HubResult check, out string? errorKey)
    {
        (errorKey, var status) = check.Error?.Code switch
        {
            HubErrorCode.RateLimited => ("TooManyAttempts", StatusCodes.Status429TooManyRequests),
            HubErrorCode.ServiceBusy => ("ServerBusy", StatusCodes.Status503ServiceUnavailable),
            _ => ((string?)null, 0),
        };
        if (errorKey is null)
        {
            return null;
        }
        page.Response.Headers.RetryAfter = (check.Error!.RetryAfterSeconds ?? 1).ToString(CultureInfo.InvariantCulture);
        var result = page.Page();
        result.StatusCode = status;
        return result;
    }

    /// <summary>
    /// For a page that lists errors: a busy server (too many password hashes running, nothing was checked) answers 503
    /// with <c>Retry-After</c>, as everywhere else. Returns the message's resource key.
    /// </summary>
    public static string Busy(PageModel page, HubError error)
    {
        page.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        page.Response.Headers.RetryAfter = (error.RetryAfterSeconds ?? 1).ToString(CultureInfo.InvariantCulture);
        return "ServerBusy";
    }
}
