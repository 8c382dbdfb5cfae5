namespace IdentityHub.Client;

/// <summary>
/// What the app can hook. Each is called once per valid token, after the matching sessions were ended; an exception
/// thrown here is logged and does not change the answer to the provider (the sessions have ended).
/// </summary>
public class IdentityHubLogoutEvents
{
    /// <summary>A valid logout token was received.</summary>
    public Func<LogoutReceivedContext, Task> OnLogoutReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>A valid Security Event Token was received (also when it carries no event this receiver acts on).</summary>
    public Func<SecurityEventReceivedContext, Task> OnSecurityEventReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnLogoutReceived"/>.</summary>
    public virtual Task LogoutReceived(LogoutReceivedContext context) => OnLogoutReceived(context);

    /// <summary>Invokes <see cref="OnSecurityEventReceived"/>.</summary>
    public virtual Task SecurityEventReceived(SecurityEventReceivedContext context) => OnSecurityEventReceived(context);
}
