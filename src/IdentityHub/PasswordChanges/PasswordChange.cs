using IdentityHub.Audit;
using IdentityHub.PasswordResets;
using IdentityHub.Sessions;
using IdentityHub.StepUp;

namespace IdentityHub.PasswordChanges;

/// <summary>
/// A request to change a user's own password, as every dialect hands it to <see cref="ChangePasswordService"/>.
/// The user proves presence either with the current password or with a step-up token (exactly one of them).
/// </summary>
/// <param name="UserId">The account, from the access token's <c>sub</c>.</param>
/// <param name="TenantId">The tenant, from the access token's <c>tid</c>; the account must belong to it.</param>
/// <param name="CurrentPassword">The current password to verify, or null when <see cref="StepUp"/> proves presence.</param>
/// <param name="NewPassword">The new password.</param>
/// <param name="Origin">Where the request came from (client, IP, user agent, the access token's session).</param>
public sealed record PasswordChange(Guid UserId, Guid TenantId, string? CurrentPassword, string NewPassword, RequestOrigin Origin)
{
    /// <summary>A validated step-up token, consumed by a successful change; null when the current password is given.</summary>
    public StepUpProof? StepUp { get; init; }

    /// <summary>
    /// A checked reset link, when this change is a forgotten-password reset (no current password, no step-up token):
    /// the commit consumes its ticket, clears the lockout and audits a reset.
    /// </summary>
    public PasswordResetProof? Reset { get; init; }

    /// <summary>The BCP 47 locale the caller asked for (e.g. for the notification email), already validated.</summary>
    public string? Locale { get; init; }

    /// <summary>The request's Accept-Language tags in order of preference (after <see cref="Locale"/>, before the user's own).</summary>
    public IReadOnlyList<string> PreferredLocales { get; init; } = [];

    /// <summary>The issuer URL, for the sign-in link in the notification email.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>When the caller last proved their password (the access token's or the page sign-in's <c>auth_time</c>).</summary>
    public DateTimeOffset? AuthenticatedAt { get; init; }

    /// <summary>How the caller authenticated (<c>amr</c>), for policies. Default <c>["pwd"]</c>.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = ["pwd"];

    /// <summary>Which edge carried the change (<c>v1</c>, <c>step-up</c>, <c>envelope</c>, <c>page</c>, <c>admin</c>), for metrics and its receipt's channel.</summary>
    public string Dialect { get; init; } = "unknown";

    /// <summary>
    /// Who started the change, for its receipt (<see cref="PasswordChangeInitiators"/>); a change carrying a
    /// <see cref="Reset"/> is a reset whatever this says.
    /// </summary>
    public string Initiator { get; init; } = PasswordChangeInitiators.User;

    /// <summary>Which sessions the change ends. Default <see cref="SessionRevocation.All"/>.</summary>
    public SessionRevocation Revoke { get; init; } = SessionRevocation.All;

    /// <summary>Never print passwords, even in a debugger or a log of the record.</summary>
    public override string ToString() => $"PasswordChange {{ UserId = {UserId}, TenantId = {TenantId} }}";
}
