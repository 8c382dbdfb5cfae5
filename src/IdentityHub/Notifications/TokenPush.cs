using System.Net;
using System.Text.Json;

namespace IdentityHub.Notifications;

/// <summary>
/// The outgoing HTTP client of the tokens the server pushes to relying parties (back-channel logout tokens, Security
/// Event Tokens): one POST to the stored destination, within a timeout. 2xx is delivered; 408, 429, 5xx, a timeout or
/// no connection are retried; any other answer (4xx, and 3xx: redirects are never followed) fails at once with the
/// receiver's status, and for a SET's 400 with the receiver's <c>err</c> and <c>description</c> (RFC 8935 section 2.3).
/// </summary>
/// <remarks>
/// It follows no redirect and sends no cookie; it reads an answer's body only for <see cref="PushRequest.ReadRefusal"/>,
/// and then keeps at most the two short strings of a JSON refusal, so it cannot be used to read a page of the
/// provider's network.
/// </remarks>
public sealed class TokenPush : IDisposable
{
    private const int MaxRefusalChars = 400;

    private readonly HttpClient client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <summary>Posts <paramref name="push"/> and tells how it went; never throws for the receiver's failures.</summary>
    public async Task<DeliveryAttempt> PostAsync(PushRequest push, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, push.Destination) { Content = push.Content };
        request.Headers.TryAddWithoutValidation("User-Agent", push.UserAgent);
        if (push.Authorization is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => DeliveryAttempt.Success(status),
                (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 =>
                    DeliveryAttempt.Transient($"The receiver answered {status}.", status),
                (int)HttpStatusCode.BadRequest when push.ReadRefusal =>
                    DeliveryAttempt.Rejected($"The receiver answered {status}{await RefusalAsync(response, limit.Token)}.", status),
                _ => DeliveryAttempt.Rejected($"The receiver answered {status}.", status),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryAttempt.Transient($"No answer within {timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException exception)
        {
            // The message names the failure (refused, unreachable, TLS), never the token.
            return DeliveryAttempt.Transient($"{nameof(HttpRequestException)}: {exception.HttpRequestError}: {exception.Message}");
        }
    }

    /// <summary>": err: description" of a JSON refusal (RFC 8935 section 2.3), cut short; empty when the body is not one.</summary>
    private static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new char[4096];
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            using var json = JsonDocument.Parse(buffer.AsMemory(0, read).ToString());
            var err = json.RootElement.TryGetProperty("err", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var description = json.RootElement.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var text = err is null ? "" : description is null ? $": {err}" : $": {err}: {description}";
            return text.Length <= MaxRefusalChars ? text : text[..MaxRefusalChars];
        }
        catch (Exception exception) when (exception is JsonException or IOException or HttpRequestException or ArgumentException)
        {
            return "";
        }
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();
}

/// <summary>One token to push.</summary>
/// <param name="Destination">The stored endpoint (never one from a request).</param>
/// <param name="Content">The body.</param>
/// <param name="UserAgent">Who is calling, for the receiver's logs.</param>
/// <param name="Authorization">An <c>Authorization</c> header value the receiver asked for, if any.</param>
/// <param name="ReadRefusal">Keep the <c>err</c> and <c>description</c> of a 400 (RFC 8935).</param>
public sealed record PushRequest(Uri Destination, HttpContent Content, string UserAgent, string? Authorization = null, bool ReadRefusal = false);
