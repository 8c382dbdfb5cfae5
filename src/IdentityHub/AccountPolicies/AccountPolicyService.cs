using System.Collections.Concurrent;
using System.Globalization;
using IdentityHub.Accounts;
using IdentityHub.Cedar;
using IdentityHub.PasswordChanges;
using IdentityHub.Passwords;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.AccountPolicies;

/// <summary>
/// Authorizes account actions with the tenant's Cedar policies. The evaluator follows Cedar exactly (an erroring
/// policy is skipped and reported); this service then fails closed: a forbid policy that errored denies, because
/// an operator's forbid that cannot be evaluated must not silently let the action through.
/// </summary>
public sealed partial class AccountPolicyService(UserManager<HubUser> users, TimeProvider clock, ILogger<AccountPolicyService> logger)
{
    /// <summary>The action every password change is authorized as.</summary>
    public static readonly EntityUid ChangePasswordAction = new("Action", "ChangePassword");

    /// <summary>The action a forgotten-password reset (with an emailed link) is authorized as.</summary>
    public static readonly EntityUid ResetPasswordAction = new("Action", "ResetPassword");

    /// <summary>
    /// The action of an administrator's change of an account (create, invite, lock, unlock, disable, enable, delete,
    /// require a password change, send a reset email, set a password: <c>context.operation</c> says which).
    /// </summary>
    public static readonly EntityUid AdminUpdateUserAction = new("Action", "AdminUpdateUser");

    /// <summary>The action of an administrator ending every session of an account (<c>context.operation</c> <c>revoke_sessions</c>).</summary>
    public static readonly EntityUid RevokeSessionAction = new("Action", "RevokeSession");

    /// <summary>
    /// The policy set of a tenant that configured none: a user may change their own password, and reset it; an
    /// administrator (an admin client of the API, or the operator's command line) may administer accounts.
    /// </summary>
    public const string DefaultPolicies = """
        @id("allow-self-service-password-change")
        permit (principal, action == Action::"ChangePassword", resource)
        when { resource.owner == principal };

        @id("allow-self-service-password-reset")
        permit (principal, action == Action::"ResetPassword", resource)
        when { resource.owner == principal };

        @id("allow-administrators")
        permit (principal, action in [Action::"AdminUpdateUser", Action::"RevokeSession"], resource)
        when { principal is Client || principal is Operator };
        """;

    // Parsed once per distinct policy text; tenants rarely change their policies. Keyed by the text, never by the
    // tenant: the tenant row is read for every request, so a policy changed by any instance counts at once here.
    private static readonly ConcurrentDictionary<string, PolicySet> Parsed = new(StringComparer.Ordinal);
    private const int MaxParsed = 1_000;

    /// <summary>Parses (and caches) a policy set; throws <see cref="CedarParseException"/> with line and column.</summary>
    public static PolicySet Parse(string? text)
    {
        if (Parsed.Count >= MaxParsed)
        {
            // Bounded: texts of policies since replaced would otherwise stay for the life of the process.
            Parsed.Clear();
        }
        return Parsed.GetOrAdd(string.IsNullOrWhiteSpace(text) ? DefaultPolicies : text, PolicySet.Parse);
    }

    /// <summary>Decides whether <paramref name="user"/> may change their own password in this request.</summary>
    public Task<AccountPolicyDecision> AuthorizeChangePasswordAsync(HubUser user, Tenant tenant, PasswordChange change, CultureInfo culture)
    {
        var provenAt = change.StepUp?.AuthenticatedAt ?? change.AuthenticatedAt;
        var stepUpAge = provenAt is { } at ? Math.Max(0, (long)(clock.GetUtcNow() - at).TotalSeconds) : long.MaxValue;
        return DecideAsync(user, tenant, ChangePasswordAction, change.Origin, change.AuthenticationMethods, stepUpAge, culture);
    }

    /// <summary>
    /// Decides whether <paramref name="user"/> may reset their password with an emailed link (<c>Action::"ResetPassword"</c>),
    /// with the same entities and context as a change: <c>amr</c> is <c>["email"]</c> (the link proves the mailbox,
    /// not the password) and <c>step_up_age_seconds</c> is the largest value (no password was proven).
    /// </summary>
    public Task<AccountPolicyDecision> AuthorizeResetPasswordAsync(HubUser user, Tenant tenant, Audit.RequestOrigin origin, CultureInfo culture) =>
        DecideAsync(user, tenant, ResetPasswordAction, origin, ["email"], long.MaxValue, culture);

    /// <summary>
    /// Decides whether an administrator (<paramref name="principal"/>: <c>Client::"&lt;client id&gt;"</c>, or
    /// <c>Operator::"cli"</c>) may perform <paramref name="operation"/> (<c>context.operation</c>) on
    /// <paramref name="user"/>'s account, as <paramref name="action"/>. The entities are those of a change (the account's
    /// owner is the <c>User</c>, with its attributes); the context is <c>{operation, client_id, ip}</c>.
    /// </summary>
    public Task<AccountPolicyDecision> AuthorizeAdminAsync(HubUser user, Tenant tenant, EntityUid action, EntityUid principal, string operation,
        Audit.RequestOrigin origin, CultureInfo culture)
    {
        var context = CedarValue.RecordOf(new Dictionary<string, CedarValue>
        {
            ["operation"] = CedarValue.FromString(operation),
            ["client_id"] = CedarValue.FromString(origin.ClientId ?? ""),
            ["ip"] = CedarValue.FromString(origin.IpAddress ?? ""),
        });
        return EvaluateAsync(user, tenant, principal, action, context, culture);
    }

    private Task<AccountPolicyDecision> DecideAsync(HubUser user, Tenant tenant, EntityUid action, Audit.RequestOrigin origin,
        IReadOnlyList<string> authenticationMethods, long stepUpAge, CultureInfo culture)
    {
        var context = CedarValue.RecordOf(new Dictionary<string, CedarValue>
        {
            ["client_id"] = CedarValue.FromString(origin.ClientId ?? ""),
            ["step_up_age_seconds"] = CedarValue.FromLong(stepUpAge),
            ["amr"] = CedarValue.SetOf(authenticationMethods.Select(CedarValue.FromString)),
            ["ip"] = CedarValue.FromString(origin.IpAddress ?? ""),
        });
        return EvaluateAsync(user, tenant, null, action, context, culture);
    }

    /// <summary>Evaluates the tenant's policies with the account's entities; <paramref name="principal"/> defaults to its owner.</summary>
    private async Task<AccountPolicyDecision> EvaluateAsync(HubUser user, Tenant tenant, EntityUid? principal, EntityUid action, CedarValue context, CultureInfo culture)
    {
        var userUid = new EntityUid("User", user.Id.ToString());
        var tenantUid = new EntityUid("Tenant", tenant.Id.ToString());
        var accountUid = new EntityUid("Account", user.Id.ToString());
        var roles = await users.GetRolesAsync(user);
        var email = user.Email ?? "";

        List<Entity> entities =
        [
            new Entity(userUid, new Dictionary<string, CedarValue>
            {
                ["email"] = CedarValue.FromString(email),
                ["email_domain"] = CedarValue.FromString(email.Contains('@') ? email[(email.LastIndexOf('@') + 1)..] : ""),
                ["has_local_password"] = CedarValue.FromBool(user.HasLocalPassword),
                // An invited account has no password yet, but is not managed elsewhere.
                ["sso_managed"] = CedarValue.FromBool(!user.HasLocalPassword && !user.AwaitsPassword),
                ["disabled"] = CedarValue.FromBool(user.IsDisabled),
                ["tenant"] = CedarValue.FromEntity(tenantUid),
            }, [tenantUid, .. roles.Select(role => new EntityUid("Group", role))]),
            new Entity(tenantUid, TenantAttributes(tenant)),
            new Entity(accountUid, new Dictionary<string, CedarValue>
            {
                ["owner"] = CedarValue.FromEntity(userUid),
                ["tenant"] = CedarValue.FromEntity(tenantUid),
            }, [tenantUid]),
        ];
        if (principal is { } other && !other.Equals(userUid))
        {
            entities.Add(new Entity(other, new Dictionary<string, CedarValue>(), []));
        }

        var response = Authorizer.IsAuthorized(Parse(tenant.Policies), new AuthorizationRequest(principal ?? userUid, action, accountUid, context), new EntityStore(entities));
        var erroredForbids = response.ErrorDetails.Where(e => e.Policy.Effect == PolicyEffect.Forbid).Select(e => e.Policy).ToList();
        foreach (var error in response.ErrorDetails)
        {
            LogPolicyError(logger, error.Policy.Id, tenant.Id, error.Message);
        }
        if (response.IsAllowed && erroredForbids.Count == 0)
        {
            return AccountPolicyDecision.Allow;
        }

        var determining = response.IsAllowed ? erroredForbids : [.. response.DeterminingPolicies, .. erroredForbids];
        LogDenied(logger, action.Id, user.Id, tenant.Id, string.Join(", ", determining.Select(p => p.Id)));
        var notices = determining
            .Where(p => p.Effect == PolicyEffect.Forbid)
            .Select(p => Notice(p, culture))
            .OfType<string>()
            .Distinct()
            .ToList();
        return new AccountPolicyDecision(false, notices, determining.Select(p => p.Id).ToList());
    }

    /// <summary>The <c>@notice</c> of a policy in the culture (<c>@notice_fr_CA</c>, then <c>@notice_fr</c>), else the plain one.</summary>
    private static string? Notice(Policy policy, CultureInfo culture)
    {
        for (var current = culture; !current.Equals(CultureInfo.InvariantCulture); current = current.Parent)
        {
            if (policy.GetAnnotation("notice_" + current.Name.Replace('-', '_')) is { } localized)
            {
                return localized;
            }
        }
        return policy.GetAnnotation("notice");
    }

    /// <summary>The tenant's name plus its configured attributes (<c>true</c>/<c>false</c> and integers typed, the rest strings).</summary>
    private static Dictionary<string, CedarValue> TenantAttributes(Tenant tenant)
    {
        var attributes = new Dictionary<string, CedarValue> { ["name"] = CedarValue.FromString(tenant.Name) };
        foreach (var (name, value) in tenant.Attributes)
        {
            attributes[name] = bool.TryParse(value, out var flag) ? CedarValue.FromBool(flag)
                : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? CedarValue.FromLong(number)
                : CedarValue.FromString(value);
        }
        return attributes;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Policy {PolicyId} of tenant {TenantId} failed to evaluate: {Error}")]
    private static partial void LogPolicyError(ILogger logger, string policyId, Guid tenantId, string error);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Policy denied {Action} of user {UserId} in tenant {TenantId} (policies: {PolicyIds})")]
    private static partial void LogDenied(ILogger logger, string action, Guid userId, Guid tenantId, string policyIds);
}
