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

    /// <summary>
    /// Password hashes and verifications that may run at once, process-wide (<see cref="PasswordHashGate"/>).
    /// Default (null): <see cref="Environment.ProcessorCount"/>. A slow hash holds a core for its whole duration, so
    /// more than one per core only makes every hash slower and starves the rest of the server.
    /// </summary>
    [Range(1, 256)]
    public int? MaxConcurrent { get; set; }

    /// <summary>
    /// Hashes that may wait for a free slot; one more is refused at once (503 with <c>Retry-After</c>). Default
    /// (null): four times <see cref="MaxConcurrent"/>, so a waiting hash starts within about four hash durations. (With
    /// twice, when a change still ran its new hash and its history fingerprint side by side, the bench measured four
    /// concurrent changes on two cores refusing half of them; a change now runs one hash at a time.) 0: never wait.
    /// </summary>
    [Range(0, 1000)]
    public int? QueueLimit { get; set; }

    /// <summary><see cref="MaxConcurrent"/> with its default applied.</summary>
    public int EffectiveMaxConcurrent => MaxConcurrent ?? Environment.ProcessorCount;

    /// <summary><see cref="QueueLimit"/> with its default applied.</summary>
    public int EffectiveQueueLimit => QueueLimit ?? 4 * EffectiveMaxConcurrent;
}
