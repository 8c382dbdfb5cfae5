using System.Security.Cryptography;
using System.Text;
using IdentityHub.Persistence;
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
/// </summary>
public sealed class PasswordHistory(IdentityHubDbContext db, IOptions<PasswordHashingOptions> hashing, PasswordHashGate gate)
{
    private static readonly byte[] SaltLabel = "identityhub/password-history/v1"u8.ToArray();

    /// <summary>The fingerprint of a password for a user (NFKC-normalised first, like every hash).</summary>
    /// <exception cref="PasswordHashingBusyException">Too many hashes are running (the fingerprint is one: same gate).</exception>
    public string Fingerprint(Guid userId, string password)
    {
        using var admitted = gate.Enter();
        var salt = SHA256.HashData([.. SaltLabel, .. userId.ToByteArray()]);
        var bytes = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(PasswordNormalizer.Normalize(password)), salt,
            hashing.Value.Iterations, HashAlgorithmName.SHA512, 32);
        return Convert.ToBase64String(bytes);
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
