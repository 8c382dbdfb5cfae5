using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using Microsoft.Extensions.Logging;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// The second step of a change: the new password against the tenant's rules (length, composition, common passwords,
/// user info, strength), "same as current" and the history; when it passes, its hash and history fingerprint (one
/// slow hash for both).
/// </summary>
public sealed partial class NewPasswordCheck(
    PasswordPolicyService policy, PasswordHistory history, ILogger<NewPasswordCheck> logger)
{
    /// <summary>
    /// The rules that depend on nothing stored. They say nothing about the account's secrets, so they are reported
    /// even beside a wrong current password (with which nothing derived from the stored secrets is: no history
    /// lookup, no extra slow hash for a wrong guess).
    /// </summary>
    public HubResult CheckRules(HubUser user, Tenant tenant, string newPassword) =>
        Report([.. policy.Check(user, tenant, newPassword).Violations]);

    /// <summary>
    /// Every rule, for a caller who proved presence; <paramref name="sameAsCurrent"/> comes from that proof. The new
    /// password's history fingerprint and its hash come from one slow hash (<see cref="PasswordHistory.Derive"/>), so a
    /// change pays two (the verification of the current password, then this one), not three; the hash is kept only
    /// when no rule is broken.
    /// </summary>
    public async Task<HubResult<NewPassword>> CheckAsync(HubUser user, Tenant tenant, string newPassword, bool sameAsCurrent, CancellationToken cancellationToken)
    {
        var (ruleViolations, resolved) = policy.Check(user, tenant, newPassword);
        List<string> violations = sameAsCurrent ? [PasswordRuleCodes.SameAsCurrent, .. ruleViolations] : [.. ruleViolations];

        string fingerprint;
        string? hash;
        try
        {
            (fingerprint, hash) = history.Derive(user.Id, newPassword);
        }
        catch (PasswordHashingBusyException busy)
        {
            return HubError.RetryAfter(HubErrorCode.ServiceBusy, busy.RetryAfter);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHashFailure(logger, exception, user.Id);
            return HubResult<NewPassword>.Failed(HubErrorCode.HashFailure);
        }

        if (resolved.HistoryDepth > 0 && !sameAsCurrent && await history.WasUsedAsync(user.Id, fingerprint, resolved.HistoryDepth, cancellationToken))
        {
            violations.Add(PasswordRuleCodes.ReusedPassword);
        }
        var report = Report(violations);
        if (!report.Succeeded)
        {
            return HubResult<NewPassword>.FailedLike(report);
        }
        // The policy refuses every password Derive will not store (as the hasher refused it before): fail closed.
        return hash is null ? HubResult<NewPassword>.Failed(HubErrorCode.HashFailure) : new NewPassword(hash, fingerprint);
    }

    /// <summary>Success, or one <see cref="HubErrorCode.WeakPassword"/> listing the violated rules in report order.</summary>
    private static HubResult Report(List<string> violations)
    {
        if (violations.Count == 0)
        {
            return HubResult.Success;
        }
        violations.Sort((a, b) => RuleOrder(a).CompareTo(RuleOrder(b)));
        return HubResult.Failed(new HubError(HubErrorCode.WeakPassword, HubField.NewPassword, violations));
    }

    private static int RuleOrder(string code)
    {
        for (var i = 0; i < PasswordRuleCodes.All.Count; i++)
        {
            if (PasswordRuleCodes.All[i] == code)
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Password hashing failed for user {UserId}")]
    private static partial void LogHashFailure(ILogger logger, Exception exception, Guid userId);
}
