using IdentityHub.Administration;
using System.Buffers.Text;
using System.Security.Cryptography;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Persistence;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Seeding;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Administration;

/// <summary>
/// OAuth clients for administrators: list, read, create, update, rotate the secret, delete, for the admin API and the
/// command line alike, through OpenIddict's application manager (whose client cache forgets a changed client at once in
/// this process) and by the seed's rules (<see cref="ClientRules"/>).
/// </summary>
/// <remarks>
/// A tenant-bound administrator sees and manages its tenant's clients only; every other client is as good as absent.
/// A client the seed defines is configuration's: readable, never changed here. An administrator never deletes or
/// demotes the client it calls with (it would lock its operator out). Each change is staged with its audit event, so
/// both are written by the manager's one save.
/// </remarks>
internal sealed partial class ClientAdminService(
    IOpenIddictApplicationManager applications, ClientRules rules, ClientOrigins origins, AuditLog audit,
    IdentityHubDbContext db, IOptions<SeedOptions> seed, ILogger<ClientAdminService> logger)
{
    /// <summary>The bytes of a generated secret: 256 bits from the OS's CSPRNG, base64url (43 characters).</summary>
    public const int SecretBytes = 32;

    public async Task<ClientList> ListAsync(AdminActor actor, CancellationToken cancellationToken)
    {
        var clients = new List<ClientView>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            var client = rules.Read(await DescribeAsync(application, cancellationToken));
            if (actor.MayAdminister(client.TenantId))
            {
                clients.Add(View(client));
            }
        }
        return new ClientList([.. clients.OrderBy(c => c.ClientId, StringComparer.Ordinal)]);
    }

    public async Task<HubResult<ClientView>> GetAsync(AdminActor actor, string clientId, CancellationToken cancellationToken) =>
        await FindAsync(actor, clientId, cancellationToken) is { } found ? View(found.Client) : HubResult<ClientView>.Failed(HubErrorCode.ClientNotFound);

    public async Task<HubResult<ClientWithSecret>> CreateAsync(AdminActor actor, ClientCreate request, CancellationToken cancellationToken)
    {
        var definition = await DefineAsync(actor, request, cancellationToken);
        if (!definition.Succeeded)
        {
            return HubResult<ClientWithSecret>.FailedLike(definition);
        }
        var client = definition.Value;
        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
        {
            return HubResult<ClientWithSecret>.Failed(HubErrorCode.AlreadyExists);
        }
        var descriptor = rules.Describe(client);
        descriptor.ClientSecret = client.IsPublic ? null : NewSecret();
        var staged = audit.Add(AuditEventTypes.ClientCreated, client.TenantId ?? Guid.Empty, null, actor.Origin);
        try
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        catch (Exception exception) when (exception is OpenIddictExceptions.ValidationException or DbUpdateException)
        {
            db.Entry(staged).State = EntityState.Detached;
            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is null)
            {
                throw;   // not a race: a rule ClientRules lacks, a server failure
            }
            // Another request created the same client id in the meantime (OpenIddict checks uniqueness, then the index).
            return HubResult<ClientWithSecret>.Failed(HubErrorCode.AlreadyExists);
        }
        origins.Forget();   // CORS answers the client's new origins at once here (the union is otherwise re-read once a minute)
        LogClientChanged(logger, AuditEventTypes.ClientCreated, client.ClientId, actor.ClientId ?? actor.Origin.UserAgent ?? "");
        return new ClientWithSecret(View(rules.Read(descriptor)), descriptor.ClientSecret);
    }

    public Task<HubResult<ClientView>> UpdateAsync(AdminActor actor, string clientId, ClientChanges changes, CancellationToken cancellationToken) =>
        RetryOnConcurrencyAsync(() => UpdateOnceAsync(actor, clientId, changes, cancellationToken), HubResult<ClientView>.Failed);

    private async Task<HubResult<ClientView>> UpdateOnceAsync(AdminActor actor, string clientId, ClientChanges changes, CancellationToken cancellationToken)
    {
        var found = await FindWritableAsync(actor, clientId, cancellationToken);
        if (!found.Succeeded)
        {
            return HubResult<ClientView>.FailedLike(found);
        }
        var (application, current, stored) = found.Value;
        if (changes.Admin is not null && actor.TenantScope is not null)
        {
            return HubResult<ClientView>.Failed(HubErrorCode.NotGlobalAdmin);
        }
        var client = current with
        {
            DisplayName = changes.DisplayName ?? current.DisplayName,
            GrantTypes = changes.GrantTypes ?? current.GrantTypes,
            RedirectUris = changes.RedirectUris ?? current.RedirectUris,
            PostLogoutRedirectUris = changes.PostLogoutRedirectUris ?? current.PostLogoutRedirectUris,
            AllowedOrigins = changes.AllowedOrigins ?? current.AllowedOrigins,
            Scopes = changes.Scopes ?? current.Scopes,
            Admin = changes.Admin ?? current.Admin,
            BackchannelLogoutUri = changes.BackchannelLogoutUri is null ? current.BackchannelLogoutUri
                : changes.BackchannelLogoutUri.Length == 0 ? null : changes.BackchannelLogoutUri,
            BackchannelLogoutSessionRequired = changes.BackchannelLogoutSessionRequired ?? current.BackchannelLogoutSessionRequired,
        };
        if (clientId == actor.ClientId && !StaysAdministrator(client))
        {
            return HubResult<ClientView>.Failed(HubErrorCode.OwnClient);
        }
        if (rules.Check(client) is { Count: > 0 } errors)
        {
            return HubResult<ClientView>.Failed([.. errors]);
        }
        var descriptor = rules.Describe(client);
        descriptor.ClientSecret = stored.ClientSecret;   // the stored hash, unchanged: an update without it would clear the secret
        audit.Add(AuditEventTypes.ClientUpdated, client.TenantId ?? Guid.Empty, null, actor.Origin);
        await applications.UpdateAsync(application, descriptor, cancellationToken);
        origins.Forget();   // CORS answers the client's new origins at once here (the union is otherwise re-read once a minute)
        LogClientChanged(logger, AuditEventTypes.ClientUpdated, clientId, actor.ClientId ?? actor.Origin.UserAgent ?? "");
        return View(rules.Read(descriptor));
    }

    /// <summary>
    /// A new secret for a confidential client, returned once. The old one fails at once in this process: the manager
    /// forgets the client's row, and a verified secret is remembered only against the hash it matched.
    /// </summary>
    public Task<HubResult<ClientWithSecret>> RotateSecretAsync(AdminActor actor, string clientId, CancellationToken cancellationToken) =>
        RetryOnConcurrencyAsync(() => RotateSecretOnceAsync(actor, clientId, cancellationToken), HubResult<ClientWithSecret>.Failed);

    private async Task<HubResult<ClientWithSecret>> RotateSecretOnceAsync(AdminActor actor, string clientId, CancellationToken cancellationToken)
    {
        var found = await FindWritableAsync(actor, clientId, cancellationToken);
        if (!found.Succeeded)
        {
            return HubResult<ClientWithSecret>.FailedLike(found);
        }
        var (application, client, descriptor) = found.Value;
        if (client.IsPublic)
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.ClientType, ["public_client"]);
        }
        descriptor.ClientSecret = NewSecret();   // OpenIddict hashes it when it differs from the stored value
        audit.Add(AuditEventTypes.ClientSecretRotated, client.TenantId ?? Guid.Empty, null, actor.Origin);
        await applications.UpdateAsync(application, descriptor, cancellationToken);
        LogClientChanged(logger, AuditEventTypes.ClientSecretRotated, clientId, actor.ClientId ?? actor.Origin.UserAgent ?? "");
        return new ClientWithSecret(View(client), descriptor.ClientSecret);
    }

    /// <summary>Deletes the client with its authorizations and tokens (OpenIddict's store removes them in the same transaction).</summary>
    public Task<HubResult> DeleteAsync(AdminActor actor, string clientId, CancellationToken cancellationToken) =>
        RetryOnConcurrencyAsync(() => DeleteOnceAsync(actor, clientId, cancellationToken), HubResult.Failed);

    private async Task<HubResult> DeleteOnceAsync(AdminActor actor, string clientId, CancellationToken cancellationToken)
    {
        var found = await FindWritableAsync(actor, clientId, cancellationToken);
        if (!found.Succeeded)
        {
            return found;
        }
        if (clientId == actor.ClientId)
        {
            return HubResult.Failed(HubErrorCode.OwnClient);
        }
        var (application, client, _) = found.Value;
        audit.Add(AuditEventTypes.ClientDeleted, client.TenantId ?? Guid.Empty, null, actor.Origin);
        await applications.DeleteAsync(application, cancellationToken);
        origins.Forget();   // CORS answers the client's new origins at once here (the union is otherwise re-read once a minute)
        LogClientChanged(logger, AuditEventTypes.ClientDeleted, clientId, actor.ClientId ?? actor.Origin.UserAgent ?? "");
        return HubResult.Success;
    }

    /// <summary>
    /// Runs a change once more, on fresh rows, when OpenIddict reports that the client changed under it: the row this
    /// process remembers (up to 30 s, <see cref="CachingApplicationManager{TApplication}"/>) may predate a change made by
    /// the command line or another instance, and the application's concurrency token then refuses the write rather
    /// than let stale values overwrite it. A second conflict is a real race: 409, nothing written.
    /// </summary>
    private async Task<TResult> RetryOnConcurrencyAsync<TResult>(Func<Task<TResult>> change, Func<HubErrorCode, TResult> failed)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await change();
            }
            catch (OpenIddictExceptions.ConcurrencyException)
            {
                db.ChangeTracker.Clear();   // the stale instance and the staged audit event; the manager has forgotten the row
                if (attempt == 2)
                {
                    return failed(HubErrorCode.ConcurrentChange);
                }
            }
        }
    }

    /// <summary>The request as a client definition, bound and checked: the actor's tenant, the type, the seed's rules.</summary>
    private async Task<HubResult<ClientDefinition>> DefineAsync(AdminActor actor, ClientCreate request, CancellationToken cancellationToken)
    {
        var tenantId = request.TenantId ?? actor.TenantScope;
        if (!actor.MayAdminister(tenantId) || (tenantId is { } id && !await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken)))
        {
            return HubResult<ClientDefinition>.Failed(HubErrorCode.TenantNotFound);
        }
        if (request.Admin == true && actor.TenantScope is not null)
        {
            return HubResult<ClientDefinition>.Failed(HubErrorCode.NotGlobalAdmin);
        }
        if (request.Type is not (null or ClientView.Public or ClientView.Confidential))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.ClientType, ["must_be_public_or_confidential"]);
        }
        var client = new ClientDefinition
        {
            ClientId = request.ClientId ?? "",
            DisplayName = request.DisplayName,
            TenantId = tenantId,
            IsPublic = request.Type == ClientView.Public,
            GrantTypes = request.GrantTypes ?? [],
            RedirectUris = request.RedirectUris ?? [],
            PostLogoutRedirectUris = request.PostLogoutRedirectUris ?? [],
            AllowedOrigins = request.AllowedOrigins ?? [],
            Scopes = request.Scopes ?? [],
            Admin = request.Admin ?? false,
            BackchannelLogoutUri = string.IsNullOrEmpty(request.BackchannelLogoutUri) ? null : request.BackchannelLogoutUri,
            BackchannelLogoutSessionRequired = request.BackchannelLogoutSessionRequired ?? false,
        };
        return rules.Check(client) is { Count: > 0 } errors ? HubResult<ClientDefinition>.Failed([.. errors]) : client;
    }

    private async Task<(object Application, ClientDefinition Client, OpenIddictApplicationDescriptor Stored)?> FindAsync(
        AdminActor actor, string clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }
        var stored = await DescribeAsync(application, cancellationToken);
        var client = rules.Read(stored);
        return actor.MayAdminister(client.TenantId) ? (application, client, stored) : null;
    }

    /// <summary>A client the actor may change: visible to it, and not the seed's.</summary>
    private async Task<HubResult<(object Application, ClientDefinition Client, OpenIddictApplicationDescriptor Stored)>> FindWritableAsync(
        AdminActor actor, string clientId, CancellationToken cancellationToken)
    {
        if (await FindAsync(actor, clientId, cancellationToken) is not { } found)
        {
            return HubResult<(object, ClientDefinition, OpenIddictApplicationDescriptor)>.Failed(HubErrorCode.ClientNotFound);
        }
        return seed.Value.Defines(clientId) ? HubResult<(object, ClientDefinition, OpenIddictApplicationDescriptor)>.Failed(HubErrorCode.ManagedByConfiguration) : found;
    }

    private async Task<OpenIddictApplicationDescriptor> DescribeAsync(object application, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        return descriptor;
    }

    /// <summary>The client still gets admin tokens: the flag, client credentials and the admin scope.</summary>
    private static bool StaysAdministrator(ClientDefinition client) =>
        client.Admin && client.GrantTypes.Contains(GrantTypes.ClientCredentials) && client.Scopes.Contains(AdminClient.Scope);

    private ClientView View(ClientDefinition client) => ClientView.Of(client, seed.Value.Defines(client.ClientId));

    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Admin action {Action} on client {ClientId} by {ActingClientId}")]
    private static partial void LogClientChanged(ILogger logger, string action, string clientId, string actingClientId);
}
