namespace IdentityHub.Web.Api;

/// <summary>The user an access token speaks for, after every check of <see cref="AccessTokenAuthenticator"/>.</summary>
internal sealed record Caller(Guid UserId, Guid TenantId, string SessionId, string? ClientId, DateTimeOffset? AuthTime);
