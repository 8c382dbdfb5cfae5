using IdentityHub.Audit;

namespace IdentityHub.PasswordResets;

/// <summary>A reset link used: its token and the new password, as the page and the API hand them to <see cref="PasswordResetService"/>.</summary>
/// <param name="Token">The link's token.</param>
/// <param name="NewPassword">The new password.</param>
/// <param name="Origin">Where the request came from.</param>
public sealed record PasswordResetConfirmation(string? Token, string NewPassword, RequestOrigin Origin)
{
    /// <summary>The tenant the caller names (the API's <c>X-Tenant-ID</c>); the link must be of an account there. Null: any.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The BCP 47 locale the caller asked for, already validated.</summary>
    public string? Locale { get; init; }

    /// <summary>The request's Accept-Language tags in order of preference.</summary>
    public IReadOnlyList<string> PreferredLocales { get; init; } = [];

    /// <summary>The issuer URL, for the links in the password-changed email.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>Which edge carried it (<c>v1</c>, <c>page</c>), for metrics only.</summary>
    public string Dialect { get; init; } = "unknown";

    /// <summary>Never print the token or the password.</summary>
    public override string ToString() => nameof(PasswordResetConfirmation);
}
