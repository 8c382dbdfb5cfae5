using IdentityHub.Notifications;
using Microsoft.Extensions.Options;

namespace IdentityHub.BackchannelLogout;

/// <summary>
/// Delivers one logout token: a POST of <c>logout_token=…</c> (form-encoded) to the URI the client registered, with
/// <see cref="BackchannelLogoutOptions.Timeout"/>, through <see cref="TokenPush"/> (2xx delivered; 408, 429, 5xx, a
/// timeout or no connection retried; any other answer failed at once with the receiver's status).
/// </summary>
/// <remarks>
/// Only the URI stored with the message is called, which is the one an administrator registered for the client: no
/// request parameter, token or answer can point this client elsewhere. It follows no redirect, sends no cookie or
/// credential, reads no answer body and stores only the status, so it cannot be used to read a page of the provider's
/// network either.
/// </remarks>
public sealed class LogoutTokenDelivery(
    LogoutTokens tokens, TokenPush push, IOptions<BackchannelLogoutOptions> options, IOptions<MailOptions> outbox, TimeProvider clock)
{
    /// <summary>
    /// How long one attempt may take: <see cref="BackchannelLogoutOptions.Timeout"/>, at most half the outbox's lease
    /// (the outbox starts an attempt only while its lease outlasts this).
    /// </summary>
    public TimeSpan Timeout => outbox.Value.WithinLease(options.Value.Timeout);

    /// <summary>Signs a fresh logout token for <paramref name="message"/> and posts it to its destination.</summary>
    public async Task<DeliveryAttempt> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var token = tokens.Sign(message, clock.GetUtcNow());
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("logout_token", token)]);
        return await push.PostAsync(new PushRequest(new Uri(message.Destination!, UriKind.Absolute), content, "IdentityHub-BackchannelLogout"),
            Timeout, cancellationToken);
    }
}
