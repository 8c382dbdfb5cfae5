using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Web.Api;

/// <summary>Account API rate limit settings. Bound from <c>IdentityHub:RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests allowed per credential per window. Default 30.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 30;

    /// <summary>The window. Default one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
