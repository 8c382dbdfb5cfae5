using System.Net;
using IdentityHub.Notifications;
using Microsoft.Extensions.Options;

namespace IdentityHub.BackchannelLogout;

/// <summary>
/// Delivers one logout token: a POST of <c>logout_token=…</c> (form-encoded) to the URI the client registered, with
/// <see cref="BackchannelLogoutOptions.Timeout"/>. 2xx is delivered; 408, 429, 5xx, a timeout or no connection are
/// retried; any other answer (4xx, and 3xx: redirects are never followed) fails at once with the receiver's status.
/// </summary>
/// <remarks>
/// Only the URI stored with the message is called, which is the one an administrator registered for the client: no
/// request parameter, token or answer can point this client elsewhere. It follows no redirect, sends no cookie or
/// credential, reads no answer body and stores only the status, so it cannot be used to read a page of the provider's
/// network either.
/// </remarks>
public sealed class LogoutTokenDelivery(
    LogoutTokens tokens, IOptions<BackchannelLogoutOptions> options, IOptions<MailOptions> outbox, TimeProvider clock) : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "IdentityHub-BackchannelLogout" } },
    };

    /// <summary>
    /// How long one attempt may take: <see cref="BackchannelLogoutOptions.Timeout"/>, at most half the outbox's lease
    /// (the outbox starts an attempt only while its lease outlasts this).
    /// </summary>
    public TimeSpan Timeout => options.Value.Timeout < outbox.Value.LeaseDuration / 2 ? options.Value.Timeout : outbox.Value.LeaseDuration / 2;

    /// <summary>Signs a fresh logout token for <paramref name="message"/> and posts it to its destination.</summary>
    public async Task<DeliveryAttempt> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var token = tokens.Sign(message, clock.GetUtcNow());
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("logout_token", token)]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await client.PostAsync(new Uri(message.Destination!, UriKind.Absolute), content, timeout.Token);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => DeliveryAttempt.Success(status),
                (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 =>
                    DeliveryAttempt.Transient($"The receiver answered {status}.", status),
                _ => DeliveryAttempt.Rejected($"The receiver answered {status}.", status),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryAttempt.Transient($"No answer within {Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException exception)
        {
            // The message names the failure (refused, unreachable, TLS), never the token.
            return DeliveryAttempt.Transient($"{nameof(HttpRequestException)}: {exception.HttpRequestError}: {exception.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();
}
