namespace IdentityHub.Sessions;

/// <summary>What <see cref="AccountSignOut"/> ended: sessions, and OpenIddict authorizations and tokens that were valid.</summary>
public readonly record struct SignOutCounts(int Sessions, long Authorizations, long Tokens);
