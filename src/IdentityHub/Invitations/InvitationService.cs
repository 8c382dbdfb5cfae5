using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.PasswordResets;
using IdentityHub.Tenancy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Invitations;

/// <summary>
/// Invitations, for a seeded user without a password (and an administrator's "invite a user"): an email with a link
/// to choose the first password. The link is a reset link of its own kind (<see cref="EmailLinkKind.Invitation"/>: its
/// own token provider, lifetime and ticket, which a "forgot password" request for the same email never supersedes),
/// used on the reset page or <c>POST /v1/password-resets/confirm</c>, so the first password goes through the
/// tenant's full policy and the reset's one transaction; it also verifies the email.
/// </summary>
public sealed partial class InvitationService(
    TenantService tenants,
    PasswordResetTokens tokens,
    PasswordResetTickets tickets,
    EmailLinkNotifier notifier,
    IOptions<InvitationOptions> options,
    ILogger<InvitationService> logger)
{
    /// <summary>
    /// Emails <paramref name="user"/> (saved, with an email and no password) a link to choose their password; a new
    /// invitation supersedes the previous one. Fails for a user with a password or without an email.
    /// </summary>
    public async Task<HubResult> InviteAsync(HubUser user, EmailLinkContext context, CancellationToken cancellationToken = default)
    {
        if (user.HasLocalPassword || string.IsNullOrEmpty(user.Email))
        {
            return HubResult.Failed(new HubError(HubErrorCode.InvalidRequest, HubField.Email, [user.HasLocalPassword ? "has_password" : "required"]));
        }
        var tenant = await tenants.FindAsync(user.TenantId, cancellationToken);
        if (tenant is null)
        {
            return HubResult.Failed(HubErrorCode.TenantNotFound);
        }
        var requestId = Guid.NewGuid();
        var token = await tokens.IssueAsync(user, requestId, EmailLinkKind.Invitation);
        var url = context.Url($"/Account/ResetPassword?token={Uri.EscapeDataString(token)}");
        var lifetime = options.Value.TokenLifetime;
        var message = await notifier.PrepareInvitationAsync(user, tenant, url, lifetime, context);
        var ticket = new PasswordResetTickets.Request(tokens.InvitationKey(tenant.Id, user.Email), tenant.Id, requestId, user.Id, context.Origin)
        {
            Lifetime = lifetime,
            AuditType = AuditEventTypes.InvitationSent,
        };
        await tickets.RecordRequestAsync(ticket, message, cancellationToken);
        LogInvited(logger, user.Id, tenant.Id);
        return HubResult.Success;
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Invitation sent to user {UserId} in tenant {TenantId}")]
    private static partial void LogInvited(ILogger logger, Guid userId, Guid tenantId);
}
