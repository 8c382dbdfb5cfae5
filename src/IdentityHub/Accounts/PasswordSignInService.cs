using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Sessions;
using IdentityHub.Throttling;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Accounts;

/// <summary>
/// Checks an email and password within a tenant, for the sign-in page and the resource-owner password grant, and
/// re-authenticates a signed-in user (the re-authentication page, the step-up and token-exchange grants).
/// In order: the <see cref="SignInThrottle"/> (failures per minute per IP and per account, refused before anything
/// else), then an attempt reserved with <see cref="FailedAttempts"/> (per-IP and account-wide lockout), then one
/// verification. The answer never reveals whether the email exists.
/// Every failed check that gets past the throttle costs exactly one password verification (and no hashing),
/// whatever the reason: unknown email, account without a local password, locked account or wrong password. Where
/// there is no hash to check, the process-wide <see cref="DummyPasswordHash"/> is verified instead, so timing does
/// not tell the cases apart.
/// </summary>
public sealed partial class PasswordSignInService(
    UserManager<HubUser> users, DummyPasswordHash dummy, FailedAttempts failures, SignInThrottle throttle, PasswordHashGate gate,
    AuditLog audit, SessionService sessions, ILogger<PasswordSignInService> logger)
{
    /// <summary>Unknown email or wrong password: deliberately one answer.</summary>
    private static readonly HubError Wrong = new(HubErrorCode.InvalidCredentials);

    /// <summary>An administrator disabled the account (said only after the right password).</summary>
    private static readonly HubError Disabled = new(HubErrorCode.AccountDisabled);

    /// <summary>The account (or this IP, for this account) is locked for a while.</summary>
    private static readonly HubError Locked = new(HubErrorCode.TooManyAttempts);

    /// <summary>
    /// Verifies the credentials and returns the outcome; never throws for a wrong password. A password longer than
    /// <see cref="PasswordNormalizer.MaxInputLength"/> fails at once, without a hash and without counting toward lockout.
    /// </summary>
    public async Task<HubResult<HubUser>> CheckAsync(Guid tenantId, string email, string password, RequestOrigin origin)
    {
        if (PasswordNormalizer.IsTooLong(password))
        {
            // Malformed input, not a guess: nothing is looked up, hashed or counted toward lockout. (The grant refuses it
            // as invalid_request before calling; the pages show their usual sign-in error.)
            return Wrong;
        }
        if (RefuseWhenGateFull() is { } busy)
        {
            return busy;
        }
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByNameAsync(HubUser.ComposeUserName(tenantId, email));
        if (user is not null && user.TenantId != tenantId)
        {
            user = null;
        }
        // An unknown email is throttled as an account of its own, so a throttled answer does not tell it apart.
        var account = user?.Id.ToString("N") ?? $"{tenantId:N}|{email?.Trim().ToUpperInvariant()}";
        // A known account's checks take turns from here on, the throttle included: an attempt counts before its
        // password is known, so concurrent right passwords must not be in flight together and look like failures.
        using var turn = user is null ? null : await failures.TakeTurnAsync(user.Id);
        return await ThrottledAsync(origin, account, async () =>
        {
            if (user is null || !user.HasLocalPassword)
            {
                var refused = VerifyDummy(dummy, password);
                LogUnknown(logger, tenantId);
                return refused ?? Wrong;
            }
            return await CheckUserAsync(user, password ?? "", origin);
        });
    }

    /// <summary>
    /// Re-authentication of a signed-in user (step-up): the same throttling, checks and lockout accounting as a sign-in
    /// (and the same immediate failure for an overlong password).
    /// </summary>
    public async Task<HubResult<HubUser>> ReauthenticateAsync(Guid userId, string password, RequestOrigin origin)
    {
        if (PasswordNormalizer.IsTooLong(password))
        {
            // As in CheckAsync: refused before any lookup, hash or lockout count.
            return Wrong;
        }
        if (RefuseWhenGateFull() is { } busy)
        {
            return busy;
        }
        var user = await users.FindByIdAsync(userId.ToString());
        using var turn = await failures.TakeTurnAsync(userId);
        return await ThrottledAsync(origin, userId.ToString("N"), async () =>
        {
            if (user is null || !user.HasLocalPassword)
            {
                return VerifyDummy(dummy, password) ?? Wrong;
            }
            return await CheckUserAsync(user, password ?? "", origin);
        });
    }

    /// <summary>
    /// A full hash gate refuses the check before anything else (no lookup, no reservation written, no throttle slot
    /// taken): a flood the gate turns away then costs as little as possible. Only a hint; the gate itself enforces.
    /// </summary>
    private HubError? RefuseWhenGateFull()
    {
        if (gate.HasRoom)
        {
            return null;
        }
        LogBusy(logger);
        return HubError.RetryAfter(HubErrorCode.ServiceBusy, PasswordHashGate.RetryAfter);
    }

    /// <summary>Runs <paramref name="check"/> past the throttle; a success or a check that verified nothing does not count.</summary>
    private async Task<HubResult<HubUser>> ThrottledAsync(RequestOrigin origin, string account, Func<Task<HubResult<HubUser>>> check)
    {
        var (entered, retryAfter) = await throttle.TryEnterAsync(origin.IpAddress, account);
        if (entered is not { } pass)
        {
            LogThrottled(logger, origin.IpAddress);
            return HubError.RetryAfter(HubErrorCode.RateLimited, retryAfter);
        }
        HubResult<HubUser> result;
        try
        {
            result = await check();
        }
        catch
        {
            // The client went away (or the database failed) mid-check: nothing was decided, so nothing counts.
            await throttle.GiveBackAsync(pass);
            throw;
        }
        if (result.Succeeded || result.Error!.Code == HubErrorCode.ServiceBusy)
        {
            await throttle.GiveBackAsync(pass);
        }
        return result;
    }

    /// <summary>Checks a known account's password; the caller holds the account's turn (<see cref="FailedAttempts.TakeTurnAsync"/>).</summary>
    private async Task<HubResult<HubUser>> CheckUserAsync(HubUser user, string password, RequestOrigin origin)
    {
        // The cheap check first (it also catches a lock an administrator set); the reservation below is the one
        // that holds under parallel requests.
        if (failures.IsLockedOut(user))
        {
            return await RefuseLockedAsync(user, password, origin);
        }
        var reservation = await failures.ReserveAsync(user, origin.IpAddress);
        if (!reservation.Granted)
        {
            return await RefuseLockedAsync(user, password, origin);
        }

        var stamp = user.SecurityStamp;
        bool right;
        try
        {
            right = await users.CheckPasswordAsync(user, password);
        }
        catch (PasswordHashingBusyException busy)
        {
            // Nothing was verified: the attempt does not count.
            await failures.ReleaseAsync(reservation);
            LogBusy(logger);
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, busy.RetryAfter);
        }
        catch
        {
            // The request was aborted (Identity's store calls use its RequestAborted) or the database failed before
            // the attempt was resolved: it must not stay counted as a failure.
            await failures.ReleaseAsync(reservation, CancellationToken.None);
            throw;
        }
        if (!right)
        {
            var lockedUntil = await failures.FailedAsync(reservation);
            await audit.RecordAsync(AuditEventTypes.SignInFailed, user.TenantId, user.Id, origin);
            LogFailed(logger, user.Id);
            return lockedUntil is null ? Wrong : Locked;
        }
        if (user.IsDisabled)
        {
            // Told only to whoever knows the password; the attempt does not count toward lockout either way.
            await failures.ReleaseAsync(reservation);
            await audit.RecordAsync(AuditEventTypes.SignInDisabled, user.TenantId, user.Id, origin);
            return Disabled;
        }
        if (user.SecurityStamp != stamp)
        {
            // Identity rehashed a password stored with fewer iterations than configured, and rotated the security stamp
            // with it. The password is the same, so the user's sessions follow the new stamp instead of ending.
            await sessions.KeepAcrossStampChangeAsync(user.Id, stamp, user.SecurityStamp, onlySessionId: null);
        }
        await failures.SucceededAsync(reservation);
        await audit.RecordAsync(AuditEventTypes.SignIn, user.TenantId, user.Id, origin);
        return user;
    }

    /// <summary>
    /// A locked account (or this IP locked out of it): audited like any failure, and the same one verification as a
    /// wrong password, against the dummy hash (the result of checking the real one must not matter while locked, so
    /// it is not even computed).
    /// </summary>
    private async Task<HubResult<HubUser>> RefuseLockedAsync(HubUser user, string password, RequestOrigin origin)
    {
        await audit.RecordAsync(AuditEventTypes.SignInFailed, user.TenantId, user.Id, origin);
        LogLocked(logger, user.Id);
        return VerifyDummy(dummy, password) ?? Locked;
    }

    /// <summary>Pays the one verification of a failure; a Busy result when the hash gate refuses it, else null.</summary>
    private static HubError? VerifyDummy(DummyPasswordHash dummy, string? password)
    {
        try
        {
            dummy.Verify(password);
            return null;
        }
        catch (PasswordHashingBusyException busy)
        {
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, busy.RetryAfter);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Sign-in failed for an unknown account in tenant {TenantId}")]
    private static partial void LogUnknown(ILogger logger, Guid tenantId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Sign-in failed for user {UserId}: wrong password")]
    private static partial void LogFailed(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Sign-in refused for user {UserId}: locked out (the account, or this IP for it)")]
    private static partial void LogLocked(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Password check throttled for client {IpAddress}: too many failures in the last minute from it or against the account")]
    private static partial void LogThrottled(ILogger logger, string? ipAddress);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Password check refused: too many password hashes running")]
    private static partial void LogBusy(ILogger logger);
}
