using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.BackchannelLogout;
using IdentityHub.Invitations;
using IdentityHub.Notifications;
using IdentityHub.Cedar;
using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Seeding;

/// <summary>
/// Runs before the server accepts requests: applies EF Core migrations when some are pending (or refuses a database
/// that lacks some, when the host does not migrate on start), then creates the
/// configured tenants, users and clients when missing (find, create if missing; rerunnable), and logs what a developer
/// needs to get going. The configuration has been validated by then (<see cref="SeedOptionsValidator"/>).
/// A seed identical to the one last applied to this database (same configuration, same build) is not applied again,
/// nor are the migrations checked, which takes most of the work out of a restart; only the clients' secrets, kept out
/// of the fingerprint, are checked, while the rest of the host starts.
/// </summary>
public sealed partial class SeedWorker(
    IServiceProvider services, IOptions<SeedOptions> seed, IOptions<ServerOptions> server, IConfiguration configuration,
    IOptions<DatabaseOptions> database, TimeProvider clock, ILogger<SeedWorker> logger) : IHostedLifecycleService
{
    /// <summary>The PostgreSQL advisory lock the seed takes (any constant other code does not use).</summary>
    private const long SeedLockKey = 0x1D_E417_4B5E_ED;

    /// <summary>Completes once the seed is in the database, client secrets included; faults if applying it failed.</summary>
    private readonly TaskCompletionSource applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the secrets are left to check after the other hosted services have started (an unchanged seed).</summary>
    private bool secretsLeft;

    /// <summary>
    /// Completes once the seed is applied, secrets included (faulted if that failed): requests wait for it
    /// (<see cref="SeedingExtensions.UseSeededRequests"/>), since Kestrel may listen before an unchanged seed's
    /// secrets are checked.
    /// </summary>
    public Task Applied => applied.Task;

    /// <summary>
    /// Runs in the host's first phase, before any hosted service starts (the outbox sender, Data Protection loading its
    /// key ring, Kestrel), so that those find the schema and can start side by side
    /// (<see cref="HostOptions.ServicesStartConcurrently"/>). A seed that this build already applied to this database
    /// needs nothing here; its client secrets are checked in <see cref="StartAsync"/>, beside the others' start.
    /// </summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var provider = scope.ServiceProvider;
            var migrator = provider.GetRequiredService<DatabaseMigrator>();
            var fingerprint = Fingerprint(migrator.MigrationsAssembly);
            if (await migrator.AppliedSeedAsync(cancellationToken) is { } unchanged && unchanged.Fingerprint == fingerprint)
            {
                // This build applied its migrations, then this seed, to this database: only the secrets may have changed.
                LogDatabase(logger, migrator.Describe());
                LogSeedUnchanged(logger, unchanged.AppliedAt);
                secretsLeft = true;
                return;
            }
            await PrepareDatabaseAsync(migrator, cancellationToken);
            var db = provider.GetRequiredService<IdentityHubDbContext>();
            await using var transaction = await LockSeedAsync(db, cancellationToken);
            await SeedAsync(provider, db, fingerprint, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            if (!secretsLeft)
            {
                applied.TrySetResult();
            }
        }
        catch (Exception exception)
        {
            applied.TrySetException(exception);
            throw;
        }
    }

    /// <summary>
    /// The client secrets of an unchanged seed, while Kestrel, Data Protection and the outbox start: the first EF Core
    /// query of a process costs about as much as their start, and this one also fills the client cache the first token
    /// request uses.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!secretsLeft)
        {
            return;
        }
        try
        {
            // The host runs each service's synchronous beginning in turn, and the first query's compilation is synchronous.
            await Task.Yield();
            await using var scope = services.CreateAsyncScope();
            await UpdateChangedSecretsAsync(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), scope.ServiceProvider.GetRequiredService<ClientRules>(), cancellationToken);
            applied.TrySetResult();
        }
        catch (Exception exception)
        {
            applied.TrySetException(exception);
            throw;
        }
    }

    /// <summary>
    /// The tenants, users and clients, then the fingerprint that lets the next start skip them. On PostgreSQL another
    /// instance may have applied the same seed while this one waited for the lock: then only the secrets are checked.
    /// </summary>
    private async Task SeedAsync(IServiceProvider provider, IdentityHubDbContext db, string fingerprint, CancellationToken cancellationToken)
    {
        var stored = await db.AppliedSeeds.FirstOrDefaultAsync(cancellationToken);
        if (stored?.Fingerprint == fingerprint)
        {
            LogSeedUnchanged(logger, stored.AppliedAt);
            secretsLeft = true;
            return;
        }
        foreach (var tenant in seed.Value.Tenants)
        {
            await SeedTenantAsync(provider, db, tenant, cancellationToken);
        }
        foreach (var client in seed.Value.Clients)
        {
            await SeedClientAsync(provider.GetRequiredService<IOpenIddictApplicationManager>(), provider.GetRequiredService<ClientRules>(), client, cancellationToken);
        }
        stored ??= db.AppliedSeeds.Add(new AppliedSeed()).Entity;
        (stored.Fingerprint, stored.AppliedAt) = (fingerprint, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Applies pending migrations when this host migrates on start (default for SQLite); otherwise refuses to start on
    /// a database that lacks some (default for PostgreSQL, where instances starting together must not race on the
    /// schema: the <c>migrate</c> command runs once before them).
    /// </summary>
    private async Task PrepareDatabaseAsync(DatabaseMigrator migrator, CancellationToken cancellationToken)
    {
        if (database.Value.MigratesOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        else if (await migrator.PendingAsync(cancellationToken) is { Count: > 0 } pending)
        {
            throw new InvalidOperationException(
                $"The database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}) and IdentityHub:Database:MigrateOnStart is off: " +
                "run the migrate command first (dotnet IdentityHub.Web.dll migrate, with the same settings), then start the instances.");
        }
        LogDatabase(logger, migrator.Describe());
    }

    /// <summary>
    /// On PostgreSQL, the seed runs in one transaction holding an advisory lock, so instances starting together on a
    /// changed seed take turns: the first applies it, the next ones find its fingerprint (READ COMMITTED reads what
    /// the first committed) instead of inserting the same tenants, users and clients again. SQLite's file has one
    /// instance; no transaction there, so that its write lock is not held across the whole seed.
    /// </summary>
    private async Task<IDbContextTransaction?> LockSeedAsync(IdentityHubDbContext db, CancellationToken cancellationToken)
    {
        if (database.Value.Provider != DatabaseProvider.PostgreSQL)
        {
            return null;
        }
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({SeedLockKey});", cancellationToken);
        return transaction;
    }

    /// <summary>
    /// SHA-256 of the seed's configuration, of the account audience the clients' permissions name, and of the build
    /// (a new version may seed differently, and brings its own migrations: a match means this build's migrations were
    /// applied before its seed, so a start that finds its fingerprint checks no migrations either). Users' passwords and clients' secrets stay out: a fast hash of them stored
    /// in the database would let whoever reads it test guesses far faster than against the password hashes. A user's
    /// password only matters when the user is created, which changes the email list; secrets are checked one by one.
    /// </summary>
    private string Fingerprint(System.Reflection.Assembly migrations)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in configuration.GetSection("IdentityHub:Seed").AsEnumerable().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var secret = key.EndsWith(":Password", StringComparison.OrdinalIgnoreCase) || key.EndsWith(":ClientSecret", StringComparison.OrdinalIgnoreCase);
            text.Append(key).Append('=').Append(secret ? "(secret)" : value).Append('\n');
        }
        text.Append(server.Value.AccountAudience).Append('\n')
            .Append(typeof(SeedWorker).Assembly.ManifestModule.ModuleVersionId).Append('\n')
            .Append(typeof(IdentityHubDbContext).Assembly.ManifestModule.ModuleVersionId).Append('\n')
            .Append(migrations.ManifestModule.ModuleVersionId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Stores the configured secret of each confidential client whose stored hash no longer matches it.</summary>
    private async Task UpdateChangedSecretsAsync(IOpenIddictApplicationManager applications, ClientRules rules, CancellationToken cancellationToken)
    {
        foreach (var client in seed.Value.Clients.Where(c => !string.IsNullOrEmpty(c.ClientSecret)))
        {
            var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
            if (existing is null || !await applications.ValidateClientSecretAsync(existing, client.ClientSecret!, cancellationToken))
            {
                await SeedClientAsync(applications, rules, client, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedTenantAsync(IServiceProvider provider, IdentityHubDbContext db, SeedTenant seedTenant, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == seedTenant.Id, cancellationToken);
        if (tenant is null)
        {
            tenant = new Tenant { Id = seedTenant.Id, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Tenants.Add(tenant);
        }
        seedTenant.ToSettings().ApplyTo(tenant);
        await db.SaveChangesAsync(cancellationToken);
        LogTenant(logger, tenant.Id, tenant.Name);

        foreach (var seedUser in seedTenant.Users)
        {
            await SeedUserAsync(provider, db, tenant.Id, seedUser, cancellationToken);
        }
    }

    private async Task SeedUserAsync(IServiceProvider provider, IdentityHubDbContext db, Guid tenantId, SeedUser seedUser, CancellationToken cancellationToken)
    {
        var users = provider.GetRequiredService<UserManager<HubUser>>();
        var userName = HubUser.ComposeUserName(tenantId, seedUser.Email);
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            user = new HubUser
            {
                Id = seedUser.Id ?? Guid.CreateVersion7(),
                TenantId = tenantId,
                UserName = userName,
                Email = seedUser.Email.Trim(),
                EmailConfirmed = seedUser.EmailVerified,
                DisplayName = seedUser.DisplayName,
                Locale = seedUser.Locale,
                CreatedAt = now,
                UpdatedAt = now,
                PasswordChangedAt = string.IsNullOrEmpty(seedUser.Password) && string.IsNullOrEmpty(seedUser.PasswordHash) ? null : now,
                PasswordHash = string.IsNullOrEmpty(seedUser.PasswordHash) ? null : seedUser.PasswordHash,
                PasswordChangeRequired = seedUser.Invite,   // awaits its first password, as an administrator's invitation does
            };
            var created = string.IsNullOrEmpty(seedUser.Password)
                ? await users.CreateAsync(user)
                : await users.CreateAsync(user, seedUser.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Seeding user {seedUser.Email} in tenant {tenantId} failed: {string.Join(", ", created.Errors.Select(e => e.Code))}. " +
                    "A seeded password must satisfy the tenant's password policy.");
            }
            if (!string.IsNullOrEmpty(seedUser.Password))
            {
                // The initial password joins the history, so the reuse rule knows it from the first change on.
                var history = provider.GetRequiredService<PasswordHistory>();
                await history.AddAsync(user.Id, history.Fingerprint(user.Id, seedUser.Password), now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            if (seedUser.Invite)
            {
                await InviteAsync(provider, user, cancellationToken);
            }
        }
        await SeedRolesAsync(provider, users, user, seedUser.Roles);
        LogUser(logger, user.Id, user.Email, tenantId);
    }

    /// <summary>
    /// The invitation of a user just created (never again: an existing user is not touched). Its link starts with the
    /// configured issuer; without one (Development) it is relative.
    /// </summary>
    private async Task InviteAsync(IServiceProvider provider, HubUser user, CancellationToken cancellationToken)
    {
        var invited = await provider.GetRequiredService<InvitationService>()
            .InviteAsync(user, new EmailLinkContext(RequestOrigin.None) { Issuer = server.Value.Issuer }, cancellationToken);
        if (!invited.Succeeded)
        {
            throw new InvalidOperationException($"Inviting seeded user {user.Email} failed: {invited.Error!.Code}.");
        }
    }

    /// <summary>Adds the seeded roles the user lacks, creating a role when missing; never removes one.</summary>
    private static async Task SeedRolesAsync(IServiceProvider provider, UserManager<HubUser> users, HubUser user, List<string> roles)
    {
        var missing = roles.Distinct(StringComparer.Ordinal).Except(await users.GetRolesAsync(user), StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var roleManager = provider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in missing)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                Check(await roleManager.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }), role);
            }
        }
        Check(await users.AddToRolesAsync(user, missing), string.Join(", ", missing));
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding roles ({what}) failed: {string.Join(", ", result.Errors.Select(e => e.Code))}.");
        }
    }

    private async Task SeedClientAsync(IOpenIddictApplicationManager applications, ClientRules rules, SeedClient client, CancellationToken cancellationToken)
    {
        var isPublic = string.IsNullOrEmpty(client.ClientSecret);
        var descriptor = rules.Describe(client.ToDefinition());
        var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (existing is null)
        {
            descriptor.ClientSecret = client.ClientSecret;
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            // Keep the stored hash unless the secret changed: hashing is deliberately slow, and an update without
            // the stored hash would clear the secret.
            var current = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(current, existing, cancellationToken);
            descriptor.ClientSecret = isPublic ? null
                : await applications.ValidateClientSecretAsync(existing, client.ClientSecret!, cancellationToken) ? current.ClientSecret
                : client.ClientSecret;
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
        LogClient(logger, client.ClientId, isPublic ? "public" : "confidential", client.TenantId);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Database: {Database}")]
    private static partial void LogDatabase(ILogger logger, string database);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "The seed is unchanged since it was applied at {AppliedAt:u}; only client secrets were checked")]
    private static partial void LogSeedUnchanged(ILogger logger, DateTime appliedAt);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Seeded tenant {TenantId} ({TenantName})")]
    private static partial void LogTenant(ILogger logger, Guid tenantId, string tenantName);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Seeded user {UserId} <{Email}> in tenant {TenantId}")]
    private static partial void LogUser(ILogger logger, Guid userId, string? email, Guid tenantId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Seeded {ClientType} client {ClientId} (tenant {TenantId})")]
    private static partial void LogClient(ILogger logger, string clientId, string clientType, Guid? tenantId);
}
