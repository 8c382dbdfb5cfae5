using System.Text.Encodings.Web;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Web.Api;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore;

namespace IdentityHub.Web.Hosting;

/// <summary>The answers nobody else gave: to an unhandled exception, and to an error status without a body.</summary>
internal static class ErrorResponses
{
    /// <summary>
    /// Unknown failures answer in the shape of the dialect that was called (no stack trace, no secret); pages and
    /// OAuth endpoints get a plain 500.
    /// </summary>
    public static IApplicationBuilder UseUnhandledErrorResponses(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledErrorAsync });

    /// <summary>
    /// Protocol errors OpenIddict cannot send back to a client (unknown client, unregistered redirect URI, missing
    /// PKCE) are shown to the person in the browser with the OAuth error and its description; other bodiless errors
    /// get a page with their status.
    /// </summary>
    public static IApplicationBuilder UseErrorStatusPages(this IApplicationBuilder app) => app.UseStatusCodePages(WriteStatusPageAsync);

    private static async Task WriteUnhandledErrorAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        var dialect = feature?.Endpoint?.Metadata.GetMetadata<AccountApiDialect>();
        if (FindBusy(feature?.Error) is { } busy)
        {
            // The hash gate refused a hash that no service turned into an answer of its own: still a 503 with
            // Retry-After in the endpoint's shape, never a 500.
            await WriteBusyAsync(context, dialect, busy);
            return;
        }
        if (dialect is not null)
        {
            // A database failure is reported as such wherever it surfaced (token validation, a session lookup, the
            // change itself); only what is truly unknown is an internal error.
            var code = IsDatabaseFailure(feature?.Error) ? HubErrorCode.DatabaseFailure : HubErrorCode.Internal;
            await dialect.ToResult([new HubError(code)]).ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("An internal error occurred.");
    }

    private static async Task WriteBusyAsync(HttpContext context, AccountApiDialect? dialect, PasswordHashingBusyException busy)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds));
        if (dialect is not null)
        {
            await dialect.ToResult([new HubError(HubErrorCode.ServiceBusy) { RetryAfterSeconds = seconds }]).ExecuteAsync(context);
        }
        else if (context.Request.Path.StartsWithSegments("/connect"))
        {
            await OAuthErrors.TryLater(StatusCodes.Status503ServiceUnavailable, seconds, "The server is busy. Try again after the Retry-After delay.").ExecuteAsync(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("The server is busy. Try again in a few seconds.");
        }
    }

    private static PasswordHashingBusyException? FindBusy(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PasswordHashingBusyException busy)
            {
                return busy;
            }
        }
        return null;
    }

    private static bool IsDatabaseFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                return true;
            }
        }
        return false;
    }

    private static async Task WriteStatusPageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var error = http.GetOpenIddictServerResponse();
        http.Response.ContentType = "text/html; charset=utf-8";
        var title = error?.Error is { } code ? $"Sign-in error: {code}" : $"Error {http.Response.StatusCode}";
        var description = error?.ErrorDescription ?? ReasonPhrases.GetReasonPhrase(http.Response.StatusCode);
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{HtmlEncoder.Default.Encode(title)}</title>" +
            "<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main class=\"card\">" +
            $"<h1>{HtmlEncoder.Default.Encode(title)}</h1><p role=\"alert\">{HtmlEncoder.Default.Encode(description)}</p></main></body></html>");
    }
}
