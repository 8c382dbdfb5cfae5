using IdentityHub.Audit;
using IdentityHub.Passwords;
using IdentityHub.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Accounts;

/// <summary>
/// Checks an email and password within a tenant, for the sign-in page and the resource-owner password grant.
/// Failures count toward lockout; the answer never reveals whether the email exists.
/// Every failed check costs exactly one password verification (and no hashing), whatever the reason: unknown email,
/// account without a local password, locked account or wrong password. Where there is no hash to check, the
/// process-wide <see cref="DummyPasswordHash"/> is verified instead, so timing does not tell the cases apart.
/// </summary>
public sealed partial class PasswordSignInService(
    UserManager<HubUser> users, DummyPasswordHash dummy, FailedAttempts failures, AuditLog audit, SessionService sessions,
    ILogger<PasswordSignInService> logger)
{
    /// <summary>
    /// Verifies the credentials and returns the outcome; never throws for a wrong password. A password longer than
    /// <see cref="PasswordNormalizer.MaxInputLength"/> fails at once, without a hash and without counting toward lockout.
    /// </summary>
    public async Task<PasswordSignInResult> CheckAsync(Guid tenantId, string email, string password, RequestOrigin origin)
    {
        if (PasswordNormalizer.IsTooLong(password))
        {
            // Malformed input, not a guess: nothing is looked up, hashed or counted toward lockout. (The grant refuses it
            // as invalid_request before calling; the pages show their usual sign-in error.)
            return PasswordSignInResult.Failed(null);
        }
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByNameAsync(HubUser.ComposeUserName(tenantId, email));
        if (user is null || user.TenantId != tenantId || !user.HasLocalPassword)
        {
            dummy.Verify(password);
            LogUnknown(logger, tenantId);
            return PasswordSignInResult.Failed(null);
        }
        return await CheckUserAsync(user, password ?? "", origin);
    }

    /// <summary>
    /// Re-authentication of a signed-in user (step-up): the same checks and lockout accounting as a sign-in (and the
    /// same immediate failure for an overlong password).
    /// </summary>
    public async Task<PasswordSignInResult> ReauthenticateAsync(Guid userId, string password, RequestOrigin origin)
    {
        if (PasswordNormalizer.IsTooLong(password))
        {
            // As in CheckAsync: refused before any lookup, hash or lockout count.
            return PasswordSignInResult.Failed(null);
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || !user.HasLocalPassword)
        {
            dummy.Verify(password);
            return PasswordSignInResult.Failed(user);
        }
        return await CheckUserAsync(user, password, origin);
    }

    private async Task<PasswordSignInResult> CheckUserAsync(HubUser user, string password, RequestOrigin origin)
    {
        var tenantId = user.TenantId;
        if (await users.IsLockedOutAsync(user))
        {
            // The same one verification as a wrong password (against the dummy hash: the result of checking the real
            // one must not matter while locked, so it is not even computed).
            dummy.Verify(password);
            await audit.RecordAsync(AuditEventTypes.SignInFailed, tenantId, user.Id, origin);
            return PasswordSignInResult.LockedOut(user);
        }
        var stamp = user.SecurityStamp;
        if (!await users.CheckPasswordAsync(user, password))
        {
            var lockedUntil = await failures.RecordAsync(user.Id);
            await audit.RecordAsync(AuditEventTypes.SignInFailed, tenantId, user.Id, origin);
            LogFailed(logger, user.Id);
            return lockedUntil is null ? PasswordSignInResult.Failed(user) : PasswordSignInResult.LockedOut(user);
        }
        if (user.SecurityStamp != stamp)
        {
            // Identity rehashed a password stored with fewer iterations than configured, and rotated the security stamp
            // with it. The password is the same, so the user's sessions follow the new stamp instead of ending.
            await sessions.KeepAcrossStampChangeAsync(user.Id, stamp, user.SecurityStamp, onlySessionId: null);
        }
        if (user.AccessFailedCount > 0)
        {
            await failures.ResetAsync(user.Id);
        }
        await audit.RecordAsync(AuditEventTypes.SignIn, tenantId, user.Id, origin);
        return PasswordSignInResult.Succeeded(user);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Sign-in failed for an unknown account in tenant {TenantId}")]
    private static partial void LogUnknown(ILogger logger, Guid tenantId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Sign-in failed for user {UserId}: wrong password")]
    private static partial void LogFailed(ILogger logger, Guid userId);
}
