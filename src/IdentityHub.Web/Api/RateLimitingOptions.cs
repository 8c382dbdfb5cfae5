namespace IdentityHub.Web.Api;

/// <summary>Account API rate limit settings.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests allowed per credential per window. Default 30.</summary>
    public int PermitLimit { get; set; } = 30;

    /// <summary>The window. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
