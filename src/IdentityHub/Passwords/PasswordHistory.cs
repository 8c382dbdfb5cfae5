using System.Security.Cryptography;
using System.Text;
using IdentityHub.Persistence;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Passwords;

/// <summary>
/// Remembers the last passwords of each user, for the <c>reused_password</c> rule, without making a change pay one
/// PBKDF2 verification per remembered password. Each password is kept as a fingerprint: PBKDF2-HMAC-SHA512 at the
/// configured iteration count, salted per user (not per entry). One fingerprint of the candidate then compares
/// against every entry. The trade-off, deliberately taken: an attacker holding the database can test one guess
/// against all of one user's entries at the cost of one slow hash, instead of one per entry; entries of different
/// users still never share a salt.
/// <para>
/// A change stores, as the account's hash, the fingerprint itself in Identity's v3 format (<see cref="Derive"/>), so it
/// pays one slow hash for both instead of two. That hash is as strong against offline guessing as the one it
/// replaces: the same PBKDF2-HMAC-SHA512 at the same iteration count, a 256-bit salt no other user of the database
/// has, and it holds exactly the value the history already stores for the current password (the newest entry), so
/// the database tells an attacker nothing it did not already. What it gives up is a salt drawn at random for each password: like every
/// fingerprint since the history exists, it can be computed from the user's id ahead of a breach. That moves no
/// work from the attacker (still one slow hash per guess per user); it only lets it start earlier, against one user
/// at a time.
/// </para>
/// </summary>
public sealed class PasswordHistory(IdentityHubDbContext db, IOptions<PasswordHashingOptions> hashing, PasswordHashGate gate)
{
    private static readonly byte[] SaltLabel = "identityhub/password-history/v1"u8.ToArray();

    /// <summary>The subkey length of Identity's v3 hashes (256 bits).</summary>
    private const int SubkeyLength = 32;

    /// <summary>The fingerprint of a password for a user (NFKC-normalised first, like every hash).</summary>
    /// <exception cref="PasswordHashingBusyException">Too many hashes are running (the fingerprint is one: same gate).</exception>
    public string Fingerprint(Guid userId, string password) => Convert.ToBase64String(DeriveKey(userId, password).Subkey);

    /// <summary>
    /// A new password's fingerprint and, from the same single PBKDF2 run, the hash to store for it: Identity's v3
    /// format (HMAC-SHA512, the configured iterations, the user's history salt) around the fingerprint, which
    /// Identity's hasher verifies like any other (see the remarks of the class for why it is as strong). The hash is
    /// null for a password that may never be stored (too long, or holding a character no password may hold); the
    /// policy refuses such a password, and its fingerprint still serves the history check.
    /// </summary>
    /// <exception cref="PasswordHashingBusyException">Too many hashes are running; nothing was hashed.</exception>
    public (string Fingerprint, string? Hash) Derive(Guid userId, string password)
    {
        var (salt, subkey) = DeriveKey(userId, password);
        var storable = !PasswordNormalizer.IsTooLong(password) && !PasswordNormalizer.ContainsInvalidCharacters(password);
        return (Convert.ToBase64String(subkey), storable ? Convert.ToBase64String(IdentityV3Hash.Write(KeyDerivationPrf.HMACSHA512, hashing.Value.Iterations, salt, subkey)) : null);
    }

    private (byte[] Salt, byte[] Subkey) DeriveKey(Guid userId, string password)
    {
        using var admitted = gate.Enter();
        var salt = SHA256.HashData([.. SaltLabel, .. userId.ToByteArray()]);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(PasswordNormalizer.Normalize(password)), salt,
            hashing.Value.Iterations, HashAlgorithmName.SHA512, SubkeyLength);
        return (salt, subkey);
    }

    /// <summary>True when the fingerprint is among the user's last <paramref name="depth"/> + 1 passwords (the current one and <paramref name="depth"/> before it).</summary>
    public async Task<bool> WasUsedAsync(Guid userId, string fingerprint, int depth, CancellationToken cancellationToken = default)
    {
        var recent = await db.PasswordHistory.AsNoTracking()
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.Id)
            .Take(depth + 1)
            .Select(e => e.Fingerprint)
            .ToListAsync(cancellationToken);
        var candidate = Convert.FromBase64String(fingerprint);
        // Constant-time per comparison: the fingerprints are password-derived.
        return recent.Any(stored => CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(stored), candidate));
    }

    /// <summary>Stages the fingerprint of a newly set password in the caller's unit of work, and prunes entries beyond what any policy keeps.</summary>
    public async Task AddAsync(Guid userId, string fingerprint, DateTime now, CancellationToken cancellationToken = default)
    {
        db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = userId, Fingerprint = fingerprint, CreatedAt = now });
        var stale = await db.PasswordHistory
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.Id)
            .Skip(PasswordPolicy.MaxHistoryDepth)
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
        if (stale.Count > 0)
        {
            await db.PasswordHistory.Where(e => stale.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
