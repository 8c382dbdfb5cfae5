using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.Net.Http.Headers;

namespace IdentityHub.Client;

/// <summary>
/// The receiver's two endpoints, answered by the authentication middleware like the OpenID Connect handler's
/// callbacks: <see cref="IdentityHubLogoutOptions.BackchannelLogoutPath"/> (OpenID Connect Back-Channel Logout 1.0,
/// section 2.5–2.8: 200, or 400 <c>{"error":"invalid_request"}</c>) and <see cref="IdentityHubLogoutOptions.SecurityEventsPath"/>
/// (RFC 8935: 202, or 400 <c>{"err":…,"description":…}</c>). When the provider's configuration or the revocation store
/// cannot be reached, the answer is 503, so that the provider retries; nothing is answered with 500.
/// </summary>
public sealed class IdentityHubLogoutHandler(
    IOptionsMonitor<IdentityHubLogoutOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionRevocations revocations)
    : AuthenticationHandler<IdentityHubLogoutOptions>(options, logger, encoder), IAuthenticationRequestHandler
{
    private static readonly EventId Refused = new(1, "IdentityHubTokenRefused"), Ended = new(2, "IdentityHubSessionsEnded"),
        Unavailable = new(3, "IdentityHubReceiverUnavailable"), HookFailed = new(4, "IdentityHubEventFailed"), Redelivered = new(5, "IdentityHubTokenRedelivered");

    /// <inheritdoc />
    public async Task<bool> HandleRequestAsync()
    {
        var logout = Request.Path == Options.BackchannelLogoutPath;
        if (!logout && !(Options.SecurityEventsPath.HasValue && Request.Path == Options.SecurityEventsPath))
        {
            return false;
        }
        Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsPost(Request.Method))
        {
            Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            Response.Headers.Allow = HttpMethods.Post;
            return true;
        }
        try
        {
            var refusal = logout ? await ReceiveLogoutAsync() : await ReceiveSecurityEventAsync();
            if (refusal is not null)
            {
                Logger.LogInformation(Refused, "Refused a {Kind}: {Error}: {Description}", logout ? "logout token" : "security event token", refusal.Value.Error, refusal.Value.Description);
                await RefuseAsync(logout, refusal.Value.Error, refusal.Value.Description);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !Response.HasStarted)
        {
            // The provider's discovery or JWKS could not be read (IDX20803), or the revocation store (a shared cache) is
            // down: the token was not remembered as received, so the provider's retry is applied in full.
            Logger.LogWarning(Unavailable, exception, "A token could not be checked or applied now; answered 503.");
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "30";
        }
        return true;
    }

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    private async Task<(string Error, string Description)?> ReceiveLogoutAsync()
    {
        if (!HasMediaType("application/x-www-form-urlencoded"))
        {
            return ("invalid_request", "The request must be application/x-www-form-urlencoded.");
        }
        var body = await ReadBodyAsync();
        if (body is null)
        {
            return ("invalid_request", "The request body is too large.");
        }
        if (!QueryHelpers.ParseQuery(body).TryGetValue("logout_token", out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return ("invalid_request", "The request must carry one logout_token.");
        }
        var outcome = await ValidateAsync(values[0]!, c => new(IdentityHubLogoutDefaults.LogoutTokenType, c.Issuer, [Options.ClientId!], true, TimeSpan.Zero));
        if (outcome.Token is not { } token)
        {
            return ("invalid_request", outcome.Description!);
        }
        // Section 2.6: the back-channel logout event, a sid or a sub, and never a nonce (an ID token is not a logout token).
        if (!outcome.Events.TryGetProperty(IdentityHubLogoutDefaults.BackchannelLogoutEvent, out var logoutEvent) || logoutEvent.ValueKind != JsonValueKind.Object)
        {
            return ("invalid_request", "The events claim has no back-channel logout event.");
        }
        var context = new LogoutReceivedContext(Context, Scheme, Options, token);
        if (context.SessionId is null && context.Subject is null)
        {
            return ("invalid_request", "The token has neither sid nor sub.");
        }
        if (token.TryGetPayloadValue<object>("nonce", out _))
        {
            return ("invalid_request", "A logout token must not have a nonce.");
        }
        if (await AlreadyReceivedAsync(token))
        {
            Response.StatusCode = StatusCodes.Status200OK;
            return null;
        }
        await EndSessionsAsync(context.SessionId, context.Subject is { } sub ? new SubjectIdentifier("iss_sub", token.Issuer, sub) : null);
        // Remembered a little past the token's own validity (at least a minute), after which it is refused as expired.
        var remember = token.ValidTo - TimeProvider.GetUtcNow().UtcDateTime + Options.ClockSkew + TimeSpan.FromMinutes(1);
        await revocations.RememberTokenAsync(token.Issuer, token.Id, remember, Context.RequestAborted);
        await RaiseAsync(() => Options.Events.LogoutReceived(context));
        Response.StatusCode = StatusCodes.Status200OK;
        return null;
    }

    private async Task<(string Error, string Description)?> ReceiveSecurityEventAsync()
    {
        if (!HasMediaType("application/secevent+jwt"))
        {
            return ("invalid_request", "The request must be application/secevent+jwt.");
        }
        var body = await ReadBodyAsync();
        if (body is null)
        {
            return ("invalid_request", "The request body is too large.");
        }
        var audiences = Options.SecurityEventAudiences.Count > 0 ? [.. Options.SecurityEventAudiences] : new[] { Options.ClientId! };
        var outcome = await ValidateAsync(body.Trim(), c => new(IdentityHubLogoutDefaults.SecurityEventTokenType,
            Options.SecurityEventIssuer ?? c.Issuer, audiences, false, Options.SecurityEventMaxAge));
        if (outcome.Token is not { } token)
        {
            return (outcome.Error!, outcome.Description!);
        }
        if (await AlreadyReceivedAsync(token))
        {
            Response.StatusCode = StatusCodes.Status202Accepted;
            return null;
        }
        var types = outcome.Events.EnumerateObject().Select(e => e.Name).ToList();
        var subject = FindSubject(token, outcome.Events);
        // Only the provider's own subjects: an iss_sub of another issuer names nobody here.
        var ends = types.Any(t => t is IdentityHubLogoutDefaults.SessionRevokedEvent or IdentityHubLogoutDefaults.CredentialChangeEvent) &&
                   subject is not null && (subject.Format == "email" || subject.Issuer == token.Issuer);
        if (ends)
        {
            await EndSessionsAsync(null, subject);
        }
        await revocations.RememberTokenAsync(token.Issuer, token.Id, Options.SecurityEventMaxAge + Options.ClockSkew * 2, Context.RequestAborted);
        await RaiseAsync(() => Options.Events.SecurityEventReceived(new SecurityEventReceivedContext(Context, Scheme, Options, token, types, subject, ends)));
        Response.StatusCode = StatusCodes.Status202Accepted;
        return null;
    }

    /// <summary>
    /// True when a token of this <c>jti</c> was applied already. The provider delivers at least once (a retry after an
    /// answer it did not get carries the same <c>jti</c>), so a redelivery is acknowledged as done, not refused (a 400
    /// would mark the delivery failed although it succeeded), and not applied again: a replayed <c>sub</c> logout
    /// would otherwise end sessions signed in since.
    /// </summary>
    private async Task<bool> AlreadyReceivedAsync(JsonWebToken token)
    {
        if (!await revocations.HasSeenTokenAsync(token.Issuer, token.Id, Context.RequestAborted))
        {
            return false;
        }
        Logger.LogInformation(Redelivered, "A token received before (jti) was acknowledged again and not applied.");
        return true;
    }

    /// <summary>SSF 1.0 puts the subject in <c>sub_id</c>; earlier CAEP drafts in each event's <c>subject</c>.</summary>
    private static SubjectIdentifier? FindSubject(JsonWebToken token, JsonElement events)
    {
        if (token.TryGetPayloadValue<JsonElement>("sub_id", out var subId))
        {
            return SubjectIdentifier.Read(subId);
        }
        return events.EnumerateObject().Select(e => e.Value.ValueKind == JsonValueKind.Object && e.Value.TryGetProperty("subject", out var s) ? SubjectIdentifier.Read(s) : null)
            .FirstOrDefault(s => s is not null);
    }

    private Task<EventTokenValidator.Outcome> ValidateAsync(string raw, Func<OpenIdConnectConfiguration, EventTokenValidator.Expectations> expect) =>
        EventTokenValidator.ValidateAsync(raw, expect, Options.ConfigurationManager!, TimeProvider.GetUtcNow(), Options.ClockSkew, Context.RequestAborted);

    private async Task EndSessionsAsync(string? sessionId, SubjectIdentifier? subject)
    {
        // Section 2.7: the session named by sid; only without sid, every session of the subject.
        var now = TimeProvider.GetUtcNow();
        var keep = Options.RevocationLifetime;
        if (sessionId is not null)
        {
            await revocations.RevokeSessionAsync(sessionId, keep, Context.RequestAborted);
        }
        else if (subject?.Format == "email")
        {
            await revocations.RevokeEmailAsync(subject.Value, now, keep, Context.RequestAborted);
        }
        else if (subject is not null)
        {
            await revocations.RevokeSubjectAsync(subject.Value, now, keep, Context.RequestAborted);
        }
        Logger.LogInformation(Ended, "Sessions ended: {By}.", sessionId is not null ? "sid" : subject?.Format);
    }

    private async Task RaiseAsync(Func<Task> raise)
    {
        try
        {
            await raise();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The sessions have ended; the app's hook failing must not make the provider believe otherwise.
            Logger.LogError(HookFailed, exception, "An IdentityHub logout event handler failed.");
        }
    }

    private bool HasMediaType(string expected) =>
        MediaTypeHeaderValue.TryParse(Request.ContentType, out var type) && string.Equals(type.MediaType.Value, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body as text, or null when it is larger than <see cref="IdentityHubLogoutOptions.MaxRequestBodySize"/> (read no further).</summary>
    private async Task<string?> ReadBodyAsync()
    {
        var limit = Options.MaxRequestBodySize;
        if (Request.ContentLength > limit)
        {
            return null;
        }
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await Request.Body.ReadAsync(buffer.AsMemory(length), Context.RequestAborted)) > 0)
        {
            length += read;
        }
        return length > limit ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private Task RefuseAsync(bool logout, string error, string description)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return logout
            ? Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = description }, Context.RequestAborted)
            : Response.WriteAsJsonAsync(new Dictionary<string, string> { ["err"] = error, ["description"] = description }, Context.RequestAborted);
    }
}
