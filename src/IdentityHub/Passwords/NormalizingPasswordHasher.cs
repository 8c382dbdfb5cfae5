using IdentityHub.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Passwords;

/// <summary>
/// Identity's PBKDF2 hasher behind one extra step: every password is NFKC-normalised before it is hashed or
/// verified, so that the same password typed on another keyboard or OS (composed vs decomposed accents, full-width
/// forms) always verifies, and so that policy length checks count what is actually hashed.
/// </summary>
public sealed class NormalizingPasswordHasher(IOptions<PasswordHashingOptions> options) : IPasswordHasher<HubUser>
{
    private readonly PasswordHasher<HubUser> inner = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = options.Value.Iterations,
    }));

    /// <inheritdoc />
    public string HashPassword(HubUser user, string password) =>
        inner.HashPassword(user, PasswordNormalizer.Normalize(password));

    /// <inheritdoc />
    public PasswordVerificationResult VerifyHashedPassword(HubUser user, string hashedPassword, string providedPassword) =>
        inner.VerifyHashedPassword(user, hashedPassword, PasswordNormalizer.Normalize(providedPassword));
}
