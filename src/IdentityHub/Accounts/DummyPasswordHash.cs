using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Accounts;

/// <summary>
/// A hash of no real password, made once per process with the configured hasher (same algorithm and iteration
/// count as real hashes), so that a failed sign-in that has no hash of its own to check (unknown email, account
/// without a local password, locked account) still pays exactly one verification, like a wrong password.
/// A singleton: computing it per request (as a scoped service would) makes an unknown email cost two hashes.
/// </summary>
public sealed class DummyPasswordHash(IPasswordHasher<HubUser> hasher)
{
    private static readonly HubUser DummyUser = new();
    private readonly Lock gate = new();
    private volatile string? hash;

    /// <summary>Verifies <paramref name="password"/> against the dummy hash, for its cost only: the result is always discarded.</summary>
    public void Verify(string? password) => hasher.VerifyHashedPassword(DummyUser, Hash, password ?? "");

    // Double-checked locking rather than Lazy<T>: concurrent first requests compute the hash once, and a hasher
    // that throws once (Lazy caches the exception) does not break every later sign-in.
    private string Hash
    {
        get
        {
            if (hash is { } ready)
            {
                return ready;
            }
            lock (gate)
            {
                // A random password: nobody can know it, and its result is never used anyway.
                return hash ??= hasher.HashPassword(DummyUser, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            }
        }
    }
}
