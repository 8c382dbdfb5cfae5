using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityHub.Web.Api;

/// <summary>
/// Reads a small JSON object body for the account API with a hard size limit, so that malformed, oversized or
/// non-object bodies become a clear dialect error instead of a framework 400/413/500.
/// </summary>
internal static class JsonBody
{
    /// <summary>Bodies of the account API are a few hundred bytes; 16 KiB leaves room for long passwords.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>Returns the parsed object, or the reason it is unusable (<c>too_large</c>, <c>malformed_json</c>, <c>not_an_object</c>, <c>unsupported_media_type</c>).</summary>
    public static async Task<(JsonElement? Body, string? Problem)> ReadObjectAsync(HttpRequest request)
    {
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "unsupported_media_type");
        }
        if (request.ContentLength > MaxBytes)
        {
            return (null, "too_large");
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
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

    /// <summary>The string value of a property: (value, null), or (null, "required" | "must_be_string").</summary>
    public static (string? Value, string? Problem) GetString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return (null, "required");
        }
        return property.ValueKind == JsonValueKind.String ? (property.GetString(), null) : (null, "must_be_string");
    }
}
