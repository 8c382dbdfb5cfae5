using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Distributed;

namespace IdentityHub.Client;

/// <summary>
/// The revocations this app has received, in <see cref="IDistributedCache"/> (in memory by default; Redis or another
/// shared cache makes them reach every instance): a session id that ended, or a subject (or email) whose sessions
/// signed in before a time ended; and the <c>jti</c> of every token seen, to refuse replays.
/// </summary>
/// <remarks>
/// The replay check is a read before the revocation and a write after it, so two copies of one token racing to two
/// instances may both pass; both then end the same sessions.
/// </remarks>
public sealed class SessionRevocations(IDistributedCache cache)
{
    private const string Prefix = "identityhub:logout:";

    /// <summary>Claim types that may hold the session id, the subject and the email (with and without inbound claim mapping).</summary>
    private static readonly string[] SidClaims = ["sid", ClaimTypes.Sid], SubClaims = ["sub", ClaimTypes.NameIdentifier], EmailClaims = ["email", ClaimTypes.Email];

    /// <summary>Records that the session <paramref name="sessionId"/> ended.</summary>
    public Task RevokeSessionAsync(string sessionId, TimeSpan keep, CancellationToken cancellationToken) =>
        cache.SetStringAsync(Prefix + "sid:" + sessionId, "1", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = keep }, cancellationToken);

    /// <summary>Records that every session of the subject (<c>sub</c>) signed in before <paramref name="before"/> ended.</summary>
    public Task RevokeSubjectAsync(string subject, DateTimeOffset before, TimeSpan keep, CancellationToken cancellationToken) =>
        RevokeBeforeAsync("sub:" + subject, before, keep, cancellationToken);

    /// <summary>Records that every session of the email address signed in before <paramref name="before"/> ended.</summary>
    public Task RevokeEmailAsync(string email, DateTimeOffset before, TimeSpan keep, CancellationToken cancellationToken) =>
        RevokeBeforeAsync("email:" + email.ToUpperInvariant(), before, keep, cancellationToken);

    /// <summary>Whether the token <paramref name="jti"/> of <paramref name="issuer"/> was received (and applied) before.</summary>
    public async Task<bool> HasSeenTokenAsync(string issuer, string jti, CancellationToken cancellationToken) =>
        await cache.GetStringAsync(TokenKey(issuer, jti), cancellationToken) is not null;

    /// <summary>
    /// Remembers the token <paramref name="jti"/> of <paramref name="issuer"/> for <paramref name="keep"/>, once it was
    /// applied: a token whose revocation failed half-way is not remembered, so the provider's retry is applied.
    /// </summary>
    public Task RememberTokenAsync(string issuer, string jti, TimeSpan keep, CancellationToken cancellationToken) =>
        cache.SetStringAsync(TokenKey(issuer, jti), "1", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = keep }, cancellationToken);

    /// <summary>Whether the cookie session of <paramref name="principal"/>, signed in at <paramref name="signedIn"/>, has been ended.</summary>
    public async Task<bool> IsRevokedAsync(ClaimsPrincipal principal, DateTimeOffset? signedIn, CancellationToken cancellationToken)
    {
        if (Find(principal, SidClaims) is { } sid && await cache.GetStringAsync(Prefix + "sid:" + sid, cancellationToken) is not null)
        {
            return true;
        }
        // A session of unknown age counts as older than any revocation of its subject: fail closed.
        var at = signedIn ?? DateTimeOffset.MinValue;
        return (Find(principal, SubClaims) is { } sub && await RevokedBeforeAsync("sub:" + sub, at, cancellationToken)) ||
               (Find(principal, EmailClaims) is { } email && await RevokedBeforeAsync("email:" + email.ToUpperInvariant(), at, cancellationToken));
    }

    private static string TokenKey(string issuer, string jti) => Prefix + "jti:" + issuer + " " + jti;

    private async Task RevokeBeforeAsync(string key, DateTimeOffset before, TimeSpan keep, CancellationToken cancellationToken)
    {
        // Keep the latest time: a later revocation covers every earlier one.
        var current = await ReadTimeAsync(key, cancellationToken);
        if (current is null || current < before)
        {
            await cache.SetStringAsync(Prefix + key, before.UtcTicks.ToString(CultureInfo.InvariantCulture),
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = keep }, cancellationToken);
        }
    }

    private async Task<bool> RevokedBeforeAsync(string key, DateTimeOffset signedIn, CancellationToken cancellationToken) =>
        await ReadTimeAsync(key, cancellationToken) is { } before && signedIn < before;

    private async Task<DateTimeOffset?> ReadTimeAsync(string key, CancellationToken cancellationToken) =>
        long.TryParse(await cache.GetStringAsync(Prefix + key, cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    private static string? Find(ClaimsPrincipal principal, string[] types) =>
        types.Select(principal.FindFirstValue).FirstOrDefault(value => !string.IsNullOrEmpty(value));
}
