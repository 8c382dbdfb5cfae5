using Microsoft.Extensions.Options;
using Npgsql;

namespace IdentityHub.Persistence;

/// <summary>
/// The rule that spans fields: PostgreSQL needs a connection string, and one Npgsql can read. The messages name the
/// key, never the value (a connection string usually holds a password).
/// </summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.Provider != DatabaseProvider.PostgreSQL)
        {
            return ValidateOptionsResult.Success;
        }
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "IdentityHub:Database:ConnectionString is required when IdentityHub:Database:Provider is PostgreSQL " +
                "(e.g. Host=db;Database=identityhub;Username=identityhub;Password=..., from a secret).");
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail("IdentityHub:Database:ConnectionString is not a valid PostgreSQL connection string (Key=Value;... pairs).");
        }
    }
}
