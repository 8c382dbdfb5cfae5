using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Persistence;

/// <summary>The database: a SQLite file (default) or a PostgreSQL server. Bound from <c>IdentityHub:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>PostgreSQL</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The PostgreSQL connection string (required with <c>PostgreSQL</c>, ignored with <c>Sqlite</c>), e.g.
    /// <c>Host=db;Database=identityhub;Username=identityhub;Password=...</c>. Keep it in a secret, not in a file.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Whether the host applies pending migrations when it starts. Default: on for SQLite (one instance), off for
    /// PostgreSQL, where the <c>migrate</c> command runs once before the instances roll out; with it off and
    /// migrations pending, the host refuses to start.
    /// </summary>
    public bool? MigrateOnStart { get; set; }

    /// <summary>Whether this host migrates on start: <see cref="MigrateOnStart"/>, or the provider's default.</summary>
    public bool MigratesOnStart => MigrateOnStart ?? Provider == DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite only: path of the SQLite file, relative to the content root unless absolute. Default <c>App_Data/identityhub.db</c>.
    /// The folder is created when missing.
    /// </summary>
    [Required]
    public string Path { get; set; } = "App_Data/identityhub.db";

    /// <summary>
    /// SQLite only: how long a writer waits for another writer's lock, in milliseconds (SQLite <c>busy_timeout</c>), before the
    /// operation fails with a database error. Default 5,000.
    /// </summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>
    /// SQLite only: the <c>synchronous</c> setting in WAL mode: <c>FULL</c> (default: every commit is fsynced before it is
    /// acknowledged, so a 204/200 survives a power cut) or <c>NORMAL</c> (no corruption on power loss, but the last
    /// commits before it may be lost: a changed password could come back). The cost is measured in docs/benchmarks.md.
    /// </summary>
    [RegularExpression("^(?i)(NORMAL|FULL)$")]
    public string Synchronous { get; set; } = "FULL";
}
