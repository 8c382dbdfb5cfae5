using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Passwords;

/// <summary>
/// How passwords are hashed: ASP.NET Core Identity's PBKDF2 (HMAC-SHA512, 128-bit salt, 256-bit subkey).
/// Bound from <c>IdentityHub:Passwords:Hashing</c>.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>The OWASP (2023) recommendation for PBKDF2-HMAC-SHA512, and our default.</summary>
    public const int RecommendedIterations = 210_000;

    /// <summary>The fewest iterations a host outside Development starts with (tests lower the count in Development only).</summary>
    public const int MinimumIterations = 100_000;

    /// <summary>
    /// PBKDF2 iteration count for new hashes. Default <see cref="RecommendedIterations"/> (210,000). Existing hashes keep
    /// their own count and are upgraded on the next successful verification. Tests lower it through configuration;
    /// the host logs a warning whenever it is below the recommendation.
    /// </summary>
    [Range(1, 10_000_000)]
    public int Iterations { get; set; } = RecommendedIterations;
}
