namespace IdentityHub.BackchannelLogout;

/// <summary>A logout token owed to <paramref name="ClientId"/> at <paramref name="Destination"/> for the end of a session.</summary>
public sealed record OwedLogout(string SessionId, Guid UserId, string ClientId, string Issuer, Uri Destination);
