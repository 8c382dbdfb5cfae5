using IdentityHub.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Passwords;

/// <summary>
/// Identity's PBKDF2 hasher behind one extra step: every password is NFKC-normalised before it is hashed or
/// verified, so that the same password typed on another keyboard or OS (composed vs decomposed accents, full-width
/// forms) always verifies, and so that policy length checks count what is actually hashed. Every hash and
/// verification passes the process-wide <see cref="PasswordHashGate"/> first.
/// </summary>
public sealed class NormalizingPasswordHasher(IOptions<PasswordHashingOptions> options, PasswordHashGate gate) : IPasswordHasher<HubUser>
{
    private readonly PasswordHasher<HubUser> inner = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = options.Value.Iterations,
    }));

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The password is longer than <see cref="PasswordNormalizer.MaxInputLength"/> or holds a character no password may
    /// hold; the entry points and the policy refuse such a password before it is hashed.
    /// </exception>
    /// <exception cref="PasswordHashingBusyException">Too many hashes are running; nothing was hashed.</exception>
    public string HashPassword(HubUser user, string password)
    {
        // Last line of defence: every entry point already refused an overlong input before it got here.
        if (PasswordNormalizer.IsTooLong(password))
        {
            throw new ArgumentException($"The password is longer than {PasswordNormalizer.MaxInputLength} characters.", nameof(password));
        }
        if (PasswordNormalizer.ContainsInvalidCharacters(password))
        {
            throw new ArgumentException("The password holds a control character, unpaired surrogate or noncharacter.", nameof(password));
        }
        using var admitted = gate.Enter();
        return inner.HashPassword(user, PasswordNormalizer.Normalize(password));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A candidate holding a control character (or any other invalid character) is wrong, whatever the stored hash:
    /// PBKDF2 pads its key with zero bytes, so the right password followed by NUL would otherwise verify. A candidate
    /// longer than <see cref="PasswordNormalizer.MaxInputLength"/> is wrong too, without being normalised or hashed.
    /// </remarks>
    /// <exception cref="PasswordHashingBusyException">Too many hashes are running; nothing was verified.</exception>
    public PasswordVerificationResult VerifyHashedPassword(HubUser user, string hashedPassword, string providedPassword)
    {
        // Every verification passes the same gate, whatever the candidate.
        using var admitted = gate.Enter();
        return PasswordNormalizer.IsTooLong(providedPassword) || PasswordNormalizer.ContainsInvalidCharacters(providedPassword)
            ? PasswordVerificationResult.Failed
            : inner.VerifyHashedPassword(user, hashedPassword, PasswordNormalizer.Normalize(providedPassword));
    }
}
