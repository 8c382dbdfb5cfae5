using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Persistence;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace IdentityHub.Web.Connect;

/// <summary>
/// OpenIddict's application manager with two changes, both for the token endpoint's sake:
/// <list type="bullet">
/// <item>A client secret that was verified against its stored PBKDF2 hash is remembered for <see cref="ApplicationLifetime"/>, so that a
/// busy client does not pay a deliberately slow hash (about 2 ms) on every token request. The cache key is an HMAC,
/// under a per-process random key, of the stored hash and the presented secret: only the exact secret that verified
/// against the exact stored hash hits, a rotated secret (new hash) misses at once, failures are never cached, and no
/// secret is kept in clear.</item>
/// <item>A client looked up by its id is remembered for <see cref="ApplicationLifetime"/>: the database query was about
/// a third of a client-credentials token's CPU. What is kept is the row's values, never an entity: each request gets
/// the instance its own context already tracks, or its own new one attached as unchanged, exactly what a query would
/// have given it, so no entity is shared between contexts or threads. Unknown client ids are never remembered. Updating or deleting a client through this manager forgets it at once; a change made by
/// another process is seen within the lifetime.</item>
/// </list>
/// Several instances: a client changed or a secret rotated on one instance (or by a restart with a new seed) takes
/// effect on every other within <see cref="ApplicationLifetime"/> (README, "Several instances"): the row is read again
/// after that, and a verified secret is keyed by the stored hash and expires with it.
/// </summary>
internal sealed class CachingApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    IdentityHubDbContext db,
    CachingApplicationManager.Rows rows,
    TimeProvider clock)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store) where TApplication : class
{
    /// <summary>The instances this request's context tracks, by client id: a second lookup returns the same one, as a query would.</summary>
    private readonly Dictionary<string, TApplication> attached = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a client's row, and a secret verified against it, are remembered: the bound within which a change made
    /// on another instance takes effect here. Seeding rewrites clients at start, through this manager.
    /// </summary>
    public static readonly TimeSpan ApplicationLifetime = TimeSpan.FromSeconds(30);

    private const int MaxEntries = 10_000;
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Verified = new(StringComparer.Ordinal);

    public override async ValueTask<TApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        var now = clock.GetUtcNow();
        if (rows.Clients.TryGetValue(identifier, out var kept) && kept.Expires > now)
        {
            if (!attached.TryGetValue(identifier, out var application))
            {
                application = Attach(kept.Values);
                attached[identifier] = application;
            }
            return application;
        }
        var found = await base.FindByClientIdAsync(identifier, cancellationToken);
        if (found is not null)
        {
            attached[identifier] = found;
            if (rows.Clients.Count >= MaxEntries)
            {
                rows.Clients.Clear();
            }
            var values = db.Entry(found).CurrentValues;
            rows.Clients[identifier] = (values.Properties.ToDictionary(p => p.Name, p => values[p]), now + ApplicationLifetime);
        }
        return found;
    }

    public override ValueTask UpdateAsync(TApplication application, CancellationToken cancellationToken = default)
    {
        rows.Clients.Clear();
        attached.Clear();
        return base.UpdateAsync(application, cancellationToken);
    }

    public override ValueTask DeleteAsync(TApplication application, CancellationToken cancellationToken = default)
    {
        rows.Clients.Clear();
        attached.Clear();
        return base.DeleteAsync(application, cancellationToken);
    }

    /// <summary>
    /// The remembered row as this request's context sees it: the instance it already tracks under that key (loaded by
    /// another lookup, such as a token's application), as a query would return it, or else a new instance, tracked
    /// as unchanged. The key lookup never queries and never runs <c>DetectChanges</c>.
    /// </summary>
    private TApplication Attach(Dictionary<string, object?> values)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var key = db.Model.FindEntityType(typeof(TApplication))!.FindPrimaryKey()!.Properties.Select(p => values[p.Name]);
            if (db.Set<TApplication>().Local.FindEntryUntyped(key) is { } tracked)
            {
                return tracked.Entity;
            }
            var application = (TApplication)Activator.CreateInstance(typeof(TApplication))!;
            var entry = db.Entry(application);
            entry.CurrentValues.SetValues<object?>(values);
            entry.State = EntityState.Unchanged;
            return application;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

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
        Verified[key] = now + ApplicationLifetime;
        return true;
    }
}

/// <summary>What <see cref="CachingApplicationManager{TApplication}"/> keeps between requests, one per host.</summary>
internal static class CachingApplicationManager
{
    /// <summary>Client rows by client id, as values (never entities), with when they expire. A singleton of the host.</summary>
    internal sealed class Rows
    {
        public ConcurrentDictionary<string, (Dictionary<string, object?> Values, DateTimeOffset Expires)> Clients { get; } = new(StringComparer.Ordinal);
    }
}
