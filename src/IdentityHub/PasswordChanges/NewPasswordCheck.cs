using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// The second step of a change: the new password against the tenant's rules (length, composition, common passwords,
/// user info, strength), "same as current" and the history; when it passes, its hash and history fingerprint.
/// </summary>
public sealed partial class NewPasswordCheck(
    UserManager<HubUser> users, PasswordPolicyService policy, PasswordHistory history, ILogger<NewPasswordCheck> logger)
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
    /// password's hash and its fingerprint are independent slow hashes and run side by side, so a change waits for
    /// about two hashes (verification, then these two together), not three; the hash only when no rule is broken.
    /// </summary>
    public async Task<HubResult<NewPassword>> CheckAsync(HubUser user, Tenant tenant, string newPassword, bool sameAsCurrent, CancellationToken cancellationToken)
    {
        var (ruleViolations, resolved) = policy.Check(user, tenant, newPassword);
        List<string> violations = sameAsCurrent ? [PasswordRuleCodes.SameAsCurrent, .. ruleViolations] : [.. ruleViolations];

        var fingerprintTask = Task.Run(() => history.Fingerprint(user.Id, newPassword), cancellationToken);
        var hashTask = violations.Count == 0 ? Task.Run(() => users.PasswordHasher.HashPassword(user, newPassword), cancellationToken) : null;
        string fingerprint;
        string? hash = null;
        try
        {
            fingerprint = await fingerprintTask;
            if (hashTask is not null)
            {
                hash = await hashTask;
            }
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
        return report.Succeeded ? new NewPassword(hash!, fingerprint) : HubResult<NewPassword>.FailedLike(report);
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
