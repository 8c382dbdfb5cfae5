namespace IdentityHub.Cedar;

/// <summary>
/// A policy that was skipped because evaluating it failed (type error, missing attribute or entity, overflow...).
/// Cedar treats such a policy as not satisfied; this records which one and why, so it can be fixed or logged.
/// </summary>
public sealed class PolicyEvaluationError
{
    internal PolicyEvaluationError(Policy policy, string message)
    {
        Policy = policy;
        Message = message;
    }

    /// <summary>The policy that failed.</summary>
    public Policy Policy { get; }

    /// <summary>The failed policy's positional id (<c>policyN</c>), as listed in <see cref="AuthorizationResponse.Errors"/>.</summary>
    public string PolicyId => Policy.Id;

    /// <summary>What went wrong and where in the policy text (line:column).</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{PolicyId}: {Message}";
}
