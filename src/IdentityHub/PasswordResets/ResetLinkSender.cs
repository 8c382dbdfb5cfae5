using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Notifications;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.PasswordResets;

/// <summary>
/// The "forgot password" step of <see cref="PasswordResetService"/>: throttles, then sends a reset link when the email
/// names an account with a local password. Whether it does must not show, neither in the answer nor in its time nor in
/// the database: an unknown email goes through the same steps with a stand-in account (a token issued, an email
/// rendered, the ticket and the audit event written), and only the outbox row is left out. So does an unverified email
/// in a tenant that requires a verified one (<see cref="Tenant.RequiresVerifiedEmailForReset"/>).
/// </summary>
public sealed class ResetLinkSender(
    UserManager<HubUser> users,
    TenantService tenants,
    LocaleResolver locales,
    PasswordResetThrottle throttle,
    PasswordResetTokens tokens,
    PasswordResetNotifier notifier,
    PasswordResetTickets tickets,
    IOptions<PasswordResetOptions> options)
{
    /// <summary>Sends the link, or not; the result is the same either way (it is true only for the logs).</summary>
    public async Task<HubResult<bool>> SendAsync(PasswordResetRequest request, CancellationToken cancellationToken)
    {
        var email = request.Email?.Trim();
        if (EmailProblem(email) is { } problem)
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Email, [problem]);
        }
        var tenant = await tenants.FindAsync(request.TenantId, cancellationToken);
        if (tenant is null)
        {
            return HubResult<bool>.Failed(HubErrorCode.TenantNotFound);
        }
        var key = tokens.TicketKey(tenant.Id, email!);
        if (await throttle.RefuseAsync(request.Origin.IpAddress, key) is { } retryAfter)
        {
            return HubError.RetryAfter(HubErrorCode.RateLimited, retryAfter);
        }

        var found = await users.FindByNameAsync(HubUser.ComposeUserName(tenant.Id, email!));
        // An invited account (no password yet) gets its link too: it is how it chooses its first password. A tenant that
        // requires a verified email sends nothing to an unverified one: the same path as an unknown email.
        var recipient = found is { Email.Length: > 0 } && (found.HasLocalPassword || found.AwaitsPassword) && found.TenantId == tenant.Id
            && (found.EmailConfirmed || !tenant.RequiresVerifiedEmailForReset) ? found : null;
        var subject = recipient ?? StandIn(tenant.Id, email!);

        var requestId = Guid.NewGuid();
        var token = await tokens.IssueAsync(subject, requestId);
        var culture = locales.Resolve([request.Locale, .. request.PreferredLocales.Take(LocaleResolver.MaxRequestedLocales), subject.Locale, tenant.DefaultLocale, "en"]);
        var issuer = request.Issuer?.AbsoluteUri.TrimEnd('/') ?? "";
        var url = $"{issuer}/Account/ResetPassword?token={Uri.EscapeDataString(token)}";
        var message = await notifier.PrepareAsync(subject, tenant, url, options.Value.TokenLifetime, request.Origin, culture);
        await tickets.RecordRequestAsync(new PasswordResetTickets.Request(key, tenant.Id, requestId, recipient?.Id, request.Origin), recipient is null ? null : message, cancellationToken);
        return recipient is not null;
    }

    /// <summary>Why the email cannot be looked up at all (empty, too long, no <c>@</c> between two parts), or null.</summary>
    private static string? EmailProblem(string? email) =>
        string.IsNullOrEmpty(email) ? "required"
        : email.Length > PasswordResetRequest.MaxEmailLength ? "too_long"
        : email.IndexOf('@') is var at && at > 0 && at < email.Length - 1 ? null
        : "invalid_email";

    /// <summary>An account that exists nowhere, for an unknown email to take the same path as a known one.</summary>
    private static HubUser StandIn(Guid tenantId, string email) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = tenantId,
        Email = email,
        SecurityStamp = Guid.NewGuid().ToString("N"),
    };
}
