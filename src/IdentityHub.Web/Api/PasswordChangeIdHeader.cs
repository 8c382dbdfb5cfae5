using IdentityHub.PasswordChanges;
using Microsoft.OpenApi;

namespace IdentityHub.Web.Api;

/// <summary>
/// How every dialect hands back the id of a change's receipt: the <c>Password-Change-Id</c> header on the success
/// answer (the seed bodies stay as they are), and for v1 also <c>Location</c>, the receipt's URL
/// (<c>GET /v1/users/me/password-changes/{id}</c>). Both are exposed to browser scripts (<c>Hosting/ClientCors</c>).
/// </summary>
internal static class PasswordChangeIdHeader
{
    /// <summary>The response header carrying the receipt's id, the same in all three dialects.</summary>
    public const string Name = "Password-Change-Id";

    /// <summary>The receipt's path in the v1 account API (relative, like the admin API's <c>Location</c> headers).</summary>
    public static string ReceiptPath(Guid id) => $"/v1/users/me/password-changes/{id}";

    /// <summary><paramref name="answer"/> with the receipt's id in <see cref="Name"/> and, when <paramref name="location"/>, in <c>Location</c>.</summary>
    public static IResult With(IResult answer, ChangedPassword changed, bool location = false) => new WithId(answer, changed.ReceiptId, location);

    /// <summary>Documents the header (and <c>Location</c>) on the endpoint's success response.</summary>
    public static RouteHandlerBuilder DocumentPasswordChangeId(this RouteHandlerBuilder builder, int status, bool location = false) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse success)
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers[Name] = new OpenApiHeader
                {
                    Description = "The id of the change's receipt, which the user reads at GET /v1/users/me/password-changes/{id} (the change ends every session, the caller's too: with a token of the new password).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                };
                if (location)
                {
                    success.Headers["Location"] = new OpenApiHeader
                    {
                        Description = "The change's receipt: /v1/users/me/password-changes/{id}.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                    };
                }
            }
            return Task.CompletedTask;
        });

    private sealed class WithId(IResult answer, Guid id, bool location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[Name] = id.ToString();
            if (location)
            {
                httpContext.Response.Headers.Location = ReceiptPath(id);
            }
            return answer.ExecuteAsync(httpContext);
        }
    }
}
