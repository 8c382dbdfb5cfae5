namespace IdentityHub.Persistence;

/// <summary>The database engine IdentityHub stores its data in (<c>IdentityHub:Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>A SQLite file (the default): one machine, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several instances behind a load balancer share it.</summary>
    PostgreSQL,
}
