namespace IdentityHub.Errors;

/// <summary>
/// One failure reported by the core, modelled on ASP.NET Core Identity's <c>IdentityError</c>: a stable
/// <see cref="Code"/>, the request <see cref="Field"/> it concerns if any, and machine-readable
/// <see cref="Details"/> (for <see cref="HubErrorCode.WeakPassword"/>, the violated rule codes). It never carries a
/// password, hash or token, so any dialect may echo it.
/// </summary>
public sealed record HubError(HubErrorCode Code, string? Field = null, IReadOnlyList<string>? Details = null)
{
    /// <summary>Seconds after which retrying may succeed (lockout and rate limiting), if known.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Policy notices (localized <c>@notice</c> annotations) for <see cref="HubErrorCode.ForbiddenByPolicy"/>.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>The rule codes carried by this error, never null.</summary>
    public IReadOnlyList<string> Rules => Details ?? [];
}
