using IdentityHub.Audit;

namespace IdentityHub.Web.Hosting;

/// <summary>Builds the <see cref="RequestOrigin"/> of an HTTP request.</summary>
internal static class HttpOrigin
{
    public static RequestOrigin From(HttpContext context, string? clientId, string? sessionId) =>
        new(clientId, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, sessionId);
}
