using System.Text.Json.Nodes;
using IdentityHub.PasswordChanges;
using IdentityHub.Persistence;
using IdentityHub.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityHub.SharedSignals;

/// <summary>
/// Which streams to tell about a user's event, and the outbox messages that tell them: one SET per stream of the
/// user's tenant that requested the event type and is not disabled (a paused stream's SETs are held). The messages are
/// added to the context, to be saved in the caller's transaction with the change itself: the password change's commit
/// (<see cref="QueueCredentialChangeAsync"/>) and the end of sessions (<see cref="QueueSessionRevokedAsync"/>).
/// </summary>
public sealed class SecurityEventQueue(IdentityHubDbContext db, IServiceProvider services)
{
    /// <summary>
    /// CAEP <c>credential-change</c> for a committed password change: <c>credential_type: password</c>,
    /// <c>change_type: update</c>, <c>initiating_entity</c> <c>admin</c> for an administrator's set-password and
    /// <c>user</c> otherwise, with a reason saying whether the user changed or reset it; each marked with the change's
    /// receipt. Returns how many SETs it queued.
    /// </summary>
    public async Task<int> QueueCredentialChangeAsync(Accounts.HubUser user, PasswordChange change, DateTime now, Guid receiptId, CancellationToken cancellationToken)
    {
        var admin = change.Initiator == PasswordChangeInitiators.Admin;
        var reason = admin ? "The password was set by an administrator."
            : change.Reset is not null ? "The password was reset with an emailed link." : "The password was changed by the user.";
        return await QueueAsync(user.TenantId, user.Id, user.Email, SharedSignalsConstants.CredentialChange, () => new JsonObject
        {
            ["credential_type"] = "password",
            ["change_type"] = "update",
            ["initiating_entity"] = admin ? "admin" : "user",
            [admin ? "reason_admin" : "reason_user"] = new JsonObject { ["en"] = reason },
            ["event_timestamp"] = new DateTimeOffset(now).ToUnixTimeSeconds(),
        }, now, receiptId, cancellationToken);
    }

    /// <summary>True when a stream of the user's tenant wants CAEP <c>session-revoked</c> (so ending a session needs a transaction).</summary>
    public async Task<bool> AnySessionRevokedStreamAsync(Guid userId, CancellationToken cancellationToken)
    {
        // One read: the (few) live streams of the user's tenant, whose requested events are a JSON column.
        var streams = await db.SecurityEventStreams.AsNoTracking()
            .Where(s => s.Status != SharedSignalsConstants.Disabled && db.Users.Any(u => u.Id == userId && u.TenantId == s.TenantId))
            .Select(s => s.EventsRequested).ToListAsync(cancellationToken);
        return streams.Any(events => events.Contains(SharedSignalsConstants.SessionRevoked, StringComparer.Ordinal));
    }

    /// <summary>
    /// CAEP <c>session-revoked</c> for a call that ended at least one session of the user, marked with the receipt of the
    /// password change that ended them, if one did. Returns how many SETs it queued.
    /// </summary>
    public async Task<int> QueueSessionRevokedAsync(Guid userId, DateTime now, Guid? receiptId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.TenantId, u.Email }).FirstOrDefaultAsync(cancellationToken);
        return user is null ? 0 : await QueueAsync(user.TenantId, userId, user.Email, SharedSignalsConstants.SessionRevoked,
            () => new JsonObject { ["event_timestamp"] = new DateTimeOffset(now).ToUnixTimeSeconds() }, now, receiptId, cancellationToken);
    }

    private async Task<int> QueueAsync(Guid tenantId, Guid userId, string? email, string eventType, Func<JsonObject> body, DateTime now,
        Guid? receiptId, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var stream in await StreamsAsync(tenantId, eventType, cancellationToken))
        {
            if (SubjectIdentifiers.For(stream, userId, email) is { } subject)
            {
                var message = SecurityEventTokens.CreateMessage(stream, eventType, subject, body(), now);
                message.ReceiptId = receiptId;
                db.Outbox.Add(message);
                queued++;
            }
        }
        return queued;
    }

    /// <summary>The tenant's streams that are not disabled and requested <paramref name="eventType"/> (a tenant has few).</summary>
    private async Task<List<SecurityEventStream>> StreamsAsync(Guid tenantId, string eventType, CancellationToken cancellationToken)
    {
        var streams = await db.SecurityEventStreams.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.Status != SharedSignalsConstants.Disabled).ToListAsync(cancellationToken);
        streams = [.. streams.Where(s => s.EventsRequested.Contains(eventType, StringComparer.Ordinal))];
        if (streams.Count == 0)
        {
            return streams;
        }
        // Fail closed: a receiver an administrator has since deleted, moved to another tenant or denied the scope is
        // told nothing more, whatever streams it left behind. Resolved only now, like the back-channel logout queue.
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var clientId in streams.Select(s => s.ClientId).Distinct(StringComparer.Ordinal))
        {
            allowed[clientId] = await IsReceiverAsync(applications, clientId, tenantId, cancellationToken);
        }
        return [.. streams.Where(s => allowed[s.ClientId])];
    }

    /// <summary>True when the client exists, is bound to <paramref name="tenantId"/> and may have the <c>ssf.manage</c> scope.</summary>
    private static async Task<bool> IsReceiverAsync(IOpenIddictApplicationManager applications, string clientId, Guid tenantId, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application ||
            !await applications.HasPermissionAsync(application, OpenIddictConstants.Permissions.Prefixes.Scope + SharedSignalsConstants.ManageScope, cancellationToken))
        {
            return false;
        }
        return await ClientTenancy.OfAsync(applications, application, cancellationToken) == tenantId;
    }
}
