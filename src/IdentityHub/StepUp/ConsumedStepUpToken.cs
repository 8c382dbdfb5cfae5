namespace IdentityHub.StepUp;

/// <summary>A step-up token that a password change used; its <c>jti</c> can never be used again.</summary>
public sealed class ConsumedStepUpToken
{
    /// <summary>The token's <c>jti</c>.</summary>
    public string TokenId { get; set; } = "";

    /// <summary>The user it belonged to.</summary>
    public Guid UserId { get; set; }

    /// <summary>When it was used (UTC).</summary>
    public DateTime ConsumedAt { get; set; }

    /// <summary>When it would have expired anyway (UTC); rows past this can be pruned.</summary>
    public DateTime ExpiresAt { get; set; }
}
