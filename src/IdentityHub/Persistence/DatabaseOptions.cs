using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Persistence;

/// <summary>The SQLite database. Bound from <c>IdentityHub:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// Path of the SQLite file, relative to the content root unless absolute. Default <c>App_Data/identityhub.db</c>.
    /// The folder is created when missing.
    /// </summary>
    [Required]
    public string Path { get; set; } = "App_Data/identityhub.db";

    /// <summary>
    /// How long a writer waits for another writer's lock, in milliseconds (SQLite <c>busy_timeout</c>), before the
    /// operation fails with a database error. Default 5,000.
    /// </summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>
    /// SQLite <c>synchronous</c> setting in WAL mode: <c>FULL</c> (default: every commit is fsynced before it is
    /// acknowledged, so a 204/200 survives a power cut) or <c>NORMAL</c> (no corruption on power loss, but the last
    /// commits before it may be lost: a changed password could come back). The cost is measured in docs/benchmarks.md.
    /// </summary>
    [RegularExpression("^(?i)(NORMAL|FULL)$")]
    public string Synchronous { get; set; } = "FULL";
}
