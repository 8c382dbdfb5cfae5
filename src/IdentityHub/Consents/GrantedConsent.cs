namespace IdentityHub.Consents;

/// <summary>An application a person allowed to act for them (a permanent OpenIddict authorization).</summary>
/// <param name="Id">The authorization's id: what "revoke access" names.</param>
/// <param name="ClientId">The application's client id.</param>
/// <param name="DisplayName">The application's display name, if it has one.</param>
/// <param name="Scopes">The scopes consented to.</param>
/// <param name="GrantedAt">When consent was given (UTC), if known.</param>
public sealed record GrantedConsent(string Id, string ClientId, string? DisplayName, IReadOnlyList<string> Scopes, DateTimeOffset? GrantedAt);
