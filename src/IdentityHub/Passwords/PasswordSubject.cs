namespace IdentityHub.Passwords;

/// <summary>INTERIM.</summary>
public sealed record PasswordSubject(string? Email, string? UserName, string? DisplayName, string? TenantName);
