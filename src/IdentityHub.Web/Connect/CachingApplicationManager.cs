using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace IdentityHub.Web.Connect;

/// <summary>
/// OpenIddict's application manager with one change: a client secret that was verified against its stored
/// PBKDF2 hash is remembered for a few minutes, so that a busy client does not pay a deliberately slow hash
/// (about 2 ms) on every token request. The cache key is an HMAC, under a per-process random key, of the stored
/// hash and the presented secret: only the exact secret that verified against the exact stored hash hits, a
/// rotated secret (new hash) misses at once, failures are never cached, and no secret is kept in clear.
/// </summary>
internal sealed class CachingApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    TimeProvider clock)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store) where TApplication : class
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Verified = new(StringComparer.Ordinal);

    protected override async ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexString(HMACSHA256.HashData(ProcessKey, Encoding.UTF8.GetBytes(comparand + "\0" + secret)));
        var now = clock.GetUtcNow();
        if (Verified.TryGetValue(key, out var expires) && expires > now)
        {
            return true;
        }
        if (!await base.ValidateClientSecretAsync(secret, comparand, cancellationToken))
        {
            return false;
        }
        if (Verified.Count >= MaxEntries)
        {
            Verified.Clear();
        }
        Verified[key] = now + Lifetime;
        return true;
    }
}
