namespace IdentityHub.Persistence;

/// <summary>
/// The seed last applied to this database, as a fingerprint (one row). A start whose seed has the same fingerprint
/// skips seeding, which is most of a start's work: see the host's <c>SeedWorker</c>.
/// </summary>
public sealed class AppliedSeed
{
    /// <summary>Always 1: there is one row.</summary>
    public int Id { get; set; } = 1;

    /// <summary>SHA-256 (hex) of the seed configuration without its passwords and secrets, and of the build.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>When the seed was applied.</summary>
    public DateTime AppliedAt { get; set; }
}
