namespace IdentityHub.Web.Connect;

/// <summary>
/// The user, tenant, sign-in session and client an access token for the account API speaks for, after every check of
/// <see cref="AccountTokenValidator"/> (the change page builds one from its session cookie).
/// </summary>
internal sealed record Caller(Guid UserId, Guid TenantId, string SessionId, string? ClientId, DateTimeOffset? AuthTime);
