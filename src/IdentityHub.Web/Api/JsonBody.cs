using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace IdentityHub.Web.Api;

/// <summary>
/// Reads a small JSON object body for the account API with a hard size limit, so that malformed, oversized or
/// non-object bodies become a clear dialect error instead of a framework 400/413/500.
/// </summary>
internal static class JsonBody
{
    /// <summary>
    /// Bodies of the account API are a few hundred bytes; 16 KiB leaves room for long passwords: two at the
    /// <see cref="PasswordNormalizer.MaxInputLength"/> bound fit even fully <c>\uXXXX</c>-escaped (6 bytes a character).
    /// </summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>
    /// Returns the parsed object, or why it is unusable: <see cref="HubErrorCode.UnsupportedMediaType"/> for a body that
    /// is not JSON, else <see cref="HubErrorCode.InvalidRequest"/> with <c>too_large</c> (over <paramref name="maxBytes"/>,
    /// <see cref="MaxBytes"/> unless an endpoint needs more), <c>malformed_json</c> or <c>not_an_object</c>.
    /// </summary>
    public static async Task<HubResult<JsonElement>> ReadObjectAsync(HttpRequest request, int maxBytes = MaxBytes)
    {
        var (body, problem) = await ReadAsync(request, maxBytes);
        return problem switch
        {
            null => body!.Value,
            UnsupportedMediaType => new HubError(HubErrorCode.UnsupportedMediaType),
            _ => new HubError(HubErrorCode.InvalidRequest, null, [problem]),
        };
    }

    private static async Task<(JsonElement? Body, string? Problem)> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, UnsupportedMediaType);
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, "too_large");
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, "too_large");
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            return (null, "too_large");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, "not_an_object");
        }
        catch (JsonException)
        {
            return (null, "malformed_json");
        }
    }

    /// <summary>
    /// The string value of a property: (value, null), or (null, "required" | "must_be_string" | "invalid_encoding").
    /// A string that is not Unicode text — invalid UTF-8 bytes, or an escaped lone surrogate such as <c>"\ud800"</c>
    /// — is the client's error, reported on its field, never an exception.
    /// </summary>
    public static (string? Value, string? Problem) GetString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return (null, "required");
        }
        if (property.ValueKind != JsonValueKind.String)
        {
            return (null, "must_be_string");
        }
        try
        {
            return (property.GetString(), null);
        }
        catch (InvalidOperationException)
        {
            return (null, "invalid_encoding");
        }
    }

    /// <summary>
    /// A password field: like <see cref="GetString"/>, plus <see cref="PasswordNormalizer.TooLong"/> (<c>too_long</c>)
    /// for a value longer than <see cref="PasswordNormalizer.MaxInputLength"/> UTF-16 units, so an overlong password is
    /// refused at the edge, before anything normalises or hashes it.
    /// </summary>
    public static (string? Value, string? Problem) GetPassword(JsonElement body, string name)
    {
        var (value, problem) = GetString(body, name);
        return PasswordNormalizer.IsTooLong(value) ? (null, PasswordNormalizer.TooLong) : (value, problem);
    }

    /// <summary>The problem reported for a body that is not JSON; each dialect answers it with 415.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary><c>application/json</c> or any <c>+json</c> type, with at most a UTF-8 charset; a missing type is not JSON.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         (media.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))) &&
        (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Documents a JSON request body in OpenAPI. Deliberately not <c>Accepts&lt;T&gt;</c>: its metadata makes routing
    /// refuse any other content type with a bare 415 before the endpoint could answer in its dialect's shape.
    /// </summary>
    public static RouteHandlerBuilder DocumentJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
                },
            };
        });
}
