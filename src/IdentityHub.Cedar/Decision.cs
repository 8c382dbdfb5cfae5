namespace IdentityHub.Cedar;

/// <summary>The outcome of authorizing a request. Deny is the default when no permit policy is satisfied.</summary>
public enum Decision
{
    /// <summary>At least one permit policy is satisfied and no forbid policy is.</summary>
    Allow,

    /// <summary>A forbid policy is satisfied, or no permit policy is.</summary>
    Deny,
}
