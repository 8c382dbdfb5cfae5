using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Web.Hosting;

/// <summary>What <c>/readyz</c> reports as degraded. Bound from <c>IdentityHub:Readiness</c>.</summary>
public sealed class ReadinessOptions
{
    /// <summary>
    /// The outbox is degraded when its oldest pending email has waited longer than this, or when an email was given up
    /// within this long. Default 15 minutes. (A pending email whose last attempt failed degrades it at once.)
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OutboxMaxPendingAge { get; set; } = TimeSpan.FromMinutes(15);
}
