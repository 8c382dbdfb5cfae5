namespace IdentityHub.Web.Connect;

/// <summary>The user, tenant, session and client an access token for the account API speaks for.</summary>
internal sealed record AccountToken(Guid UserId, Guid TenantId, string SessionId, string? ClientId, DateTimeOffset? AuthTime);
