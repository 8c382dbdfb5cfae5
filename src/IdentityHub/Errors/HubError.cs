namespace IdentityHub.Errors;

/// <summary>
/// One failure reported by the core, modelled on ASP.NET Core Identity's <c>IdentityError</c>: a stable
/// <see cref="Code"/>, the request <see cref="Field"/> it concerns if any, and machine-readable
/// <see cref="Details"/> (for <see cref="HubErrorCode.WeakPassword"/>, the violated rule codes). It never carries a
/// password, hash or token, so any dialect may echo it.
/// </summary>
public sealed record HubError(HubErrorCode Code, HubField? Field = null, IReadOnlyList<string>? Details = null)
{
    /// <summary>Seconds after which retrying may succeed (lockout, throttling, rate limiting, a busy server), if known.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Policy notices (localized <c>@notice</c> annotations) for <see cref="HubErrorCode.ForbiddenByPolicy"/>.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Further machine-readable facts (a parse error's line and column), for dialects with room for them.</summary>
    public IReadOnlyDictionary<string, object?>? Context { get; init; }

    /// <summary>The rule codes carried by this error, never null.</summary>
    public IReadOnlyList<string> Rules => Details ?? [];

    /// <summary>An error of <paramref name="code"/> that may be retried after <paramref name="retryAfter"/> (whole seconds, at least 1).</summary>
    public static HubError RetryAfter(HubErrorCode code, TimeSpan retryAfter) =>
        new(code) { RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) };
}
