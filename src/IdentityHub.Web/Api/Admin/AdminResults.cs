using IdentityHub.Errors;
using IdentityHub.Web.Administration;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Api.Admin;

/// <summary>Reading an admin request's body and writing its answer, the same way for every admin endpoint.</summary>
internal static class AdminResults
{
    /// <summary>
    /// The JSON body as a <typeparamref name="T"/>: not JSON is a 415, unreadable JSON or a property the request does
    /// not define a 400 naming it (v1 shape).
    /// </summary>
    public static async Task<HubResult<T>> ReadAsync<T>(HttpRequest request, int maxBytes) where T : class
    {
        var body = await JsonBody.ReadObjectAsync(request, maxBytes);
        return body.Succeeded ? AdminJson.Read<T>(body.Value) : HubResult<T>.FailedLike(body);
    }

    /// <summary>The value as the admin API's JSON with <paramref name="status"/>, or the failure in the v1 shape.</summary>
    public static IResult Answer<T>(HubResult<T> result, int status = StatusCodes.Status200OK, Func<T, string>? location = null) =>
        V1Dialect.Instance.Answer(result, value => new LocatedJson(Results.Json(value, AdminJson.Options, statusCode: status), location?.Invoke(value)));

    /// <summary>A JSON result with a <c>Location</c> header (201 Created) when one is given.</summary>
    private sealed class LocatedJson(IResult json, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }
            return json.ExecuteAsync(httpContext);
        }
    }
}
