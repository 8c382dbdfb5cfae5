namespace IdentityHub.Web.Api;

/// <summary>Account API rate limit settings.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests allowed per credential (or IP) per window. Default 10.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>The window. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
