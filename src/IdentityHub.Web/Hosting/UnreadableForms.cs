using System.Text;
using IdentityHub.Web.Api;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// Reads every form body once, up front, so that one ASP.NET Core cannot parse — a <c>%00</c> in a key or value, a
/// repeated or malformed form Content-Type, <c>charset=utf-7</c>, more keys or longer values than the form limits —
/// (or a multipart body that ends early) is the client's error (400) instead of an exception thrown from deep inside OpenIddict or a page. The parsed form
/// is cached on the request, so nothing is read twice.
/// </summary>
internal static class UnreadableForms
{
    public static IApplicationBuilder UseUnreadableFormRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        // The account API reads JSON and answers a form in its own dialect (415); everything else that names a form
        // content type, even a malformed one, is read here.
        if (!request.Headers.ContentType.Any(type => type?.Contains("form", StringComparison.OrdinalIgnoreCase) == true) ||
            context.GetEndpoint()?.Metadata.GetMetadata<AccountApiDialect>() is not null)
        {
            await next(context);
            return;
        }
        try
        {
            await request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException or NotSupportedException
                                              or ArgumentException or DecoderFallbackException or BadHttpRequestException or IOException)
        {
            await RefuseAsync(context, exception is BadHttpRequestException { StatusCode: var status } ? status : StatusCodes.Status400BadRequest);
            return;
        }
        await next(context);
    });

    private static async Task RefuseAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (context.Request.Path.StartsWithSegments("/connect"))
        {
            // RFC 6749 §5.2: the token endpoint (and OpenIddict's others) answer errors as JSON, never cached.
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                ["error"] = "invalid_request",
                ["error_description"] = "The request body is not a readable form (application/x-www-form-urlencoded, UTF-8).",
            });
        }
        // Pages: the status code page explains the 400.
    }
}
