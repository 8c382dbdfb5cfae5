using IdentityHub.Audit;

namespace IdentityHub.PasswordResets;

/// <summary>"I forgot my password": an email in a tenant, as the page and the API hand it to <see cref="PasswordResetService"/>.</summary>
/// <param name="TenantId">The tenant the email is looked up in.</param>
/// <param name="Email">The email as typed.</param>
/// <param name="Origin">Where the request came from.</param>
public sealed record PasswordResetRequest(Guid TenantId, string? Email, RequestOrigin Origin)
{
    /// <summary>The longest email accepted (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The BCP 47 locale the caller asked for, already validated.</summary>
    public string? Locale { get; init; }

    /// <summary>The request's Accept-Language tags in order of preference.</summary>
    public IReadOnlyList<string> PreferredLocales { get; init; } = [];

    /// <summary>The issuer URL, for the link in the email.</summary>
    public Uri? Issuer { get; init; }
}
