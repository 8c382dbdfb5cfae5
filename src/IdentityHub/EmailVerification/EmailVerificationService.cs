using System.Data.Common;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.PasswordResets;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.EmailVerification;

/// <summary>
/// Email verification, behind the account page, <c>POST /v1/users/me/email-verifications</c> and an administrator's
/// action: send a link (<see cref="SendAsync"/>, at most one per <see cref="EmailVerificationOptions.ResendInterval"/>),
/// check it and confirm with it (<c>/Account/ConfirmEmail</c>), which sets the account's <c>EmailConfirmed</c>
/// (the tokens' and userinfo's <c>email_verified</c>). Confirming signs nobody in. The link's token is Identity's, of
/// its own provider (<see cref="PasswordResetTokens"/>, <see cref="EmailLinkKind.EmailVerification"/>), bound to the
/// user, its tenant and its address; it is single-use because a verified address refuses it ("used").
/// </summary>
public sealed partial class EmailVerificationService(
    UserManager<HubUser> users,
    TenantService tenants,
    PasswordResetTokens tokens,
    EmailLinkNotifier notifier,
    EmailVerificationThrottle throttle,
    AuditLog audit,
    IOptions<EmailVerificationOptions> options,
    ILogger<EmailVerificationService> logger)
{
    /// <summary>The path of the link's page.</summary>
    public const string ConfirmPath = "/Account/ConfirmEmail";

    /// <summary>
    /// Emails a verification link to the user's address. Fails for an unknown user, an address already verified
    /// (<see cref="HubErrorCode.InvalidRequest"/>, <c>already_verified</c>), and a second send within the interval
    /// (<see cref="HubErrorCode.RateLimited"/> with its retry time).
    /// </summary>
    public async Task<HubResult> SendAsync(Guid userId, EmailLinkContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var user = await users.FindByIdAsync(userId.ToString());
            var tenant = user is null ? null : await tenants.FindAsync(user.TenantId, cancellationToken);
            if (user is null || tenant is null || string.IsNullOrEmpty(user.Email))
            {
                return HubResult.Failed(HubErrorCode.UserNotFound);
            }
            if (user.EmailConfirmed)
            {
                return HubResult.Failed(new HubError(HubErrorCode.InvalidRequest, HubField.Email, ["already_verified"]));
            }
            if (await throttle.RefuseAsync(user.Id) is { } retryAfter)
            {
                return HubResult.Failed(HubError.RetryAfter(HubErrorCode.RateLimited, retryAfter));
            }
            var token = await tokens.IssueAsync(user, Guid.NewGuid(), EmailLinkKind.EmailVerification);
            var url = context.Url($"{ConfirmPath}?tenant={tenant.Id}&token={Uri.EscapeDataString(token)}");
            await notifier.SendVerificationAsync(user, tenant, url, options.Value.TokenLifetime, context, cancellationToken);
            LogSent(logger, user.Id, tenant.Id);
            return HubResult.Success;
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException)
        {
            LogDatabaseFailure(logger, exception);
            return HubResult.Failed(HubErrorCode.DatabaseFailure);
        }
    }

    /// <summary>
    /// The account a link verifies, or why it cannot (<see cref="HubErrorCode.ResetLinkInvalid"/> with
    /// <see cref="ResetLinkReasons.Invalid"/>: not ours, another tenant's, expired, or for a changed address or
    /// security stamp; <see cref="ResetLinkReasons.Used"/>: the address is verified already).
    /// </summary>
    /// <param name="token">The link's token.</param>
    /// <param name="tenantId">The tenant the link names; the account must be there.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<HubResult<HubUser>> CheckAsync(string? token, Guid? tenantId, CancellationToken cancellationToken = default)
    {
        var parsed = PasswordResetTokens.Parse(token);
        var user = parsed is null ? null : await users.FindByIdAsync(parsed.UserId.ToString());
        if (parsed is null || user is null || string.IsNullOrEmpty(user.Email) || user.TenantId != tenantId
            || !await tokens.VerifyAsync(user, parsed, EmailLinkKind.EmailVerification))
        {
            return Refused(ResetLinkReasons.Invalid);
        }
        return user.EmailConfirmed ? Refused(ResetLinkReasons.Used) : user;
    }

    /// <summary>Verifies the address of a link's account (audited); the same refusals as <see cref="CheckAsync"/>.</summary>
    public async Task<HubResult<HubUser>> ConfirmAsync(string? token, Guid? tenantId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var link = await CheckAsync(token, tenantId, cancellationToken);
        if (!link.Succeeded)
        {
            return link;
        }
        var user = link.Value;
        user.EmailConfirmed = true;
        user.UpdatedAt = audit.Add(AuditEventTypes.EmailVerified, user.TenantId, user.Id, origin).OccurredAt;
        // Saves the audit row with the user; Identity's concurrency stamp lets one of two racing uses through.
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            return Refused(ResetLinkReasons.Used);
        }
        LogVerified(logger, user.Id, user.TenantId);
        return user;
    }

    private static HubError Refused(string reason) => new(HubErrorCode.ResetLinkInvalid, HubField.ResetToken, [reason]);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Email verification sent to user {UserId} in tenant {TenantId}")]
    private static partial void LogSent(ILogger logger, Guid userId, Guid tenantId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Email verified for user {UserId} in tenant {TenantId}")]
    private static partial void LogVerified(ILogger logger, Guid userId, Guid tenantId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Email verification failed in the database")]
    private static partial void LogDatabaseFailure(ILogger logger, Exception exception);
}
