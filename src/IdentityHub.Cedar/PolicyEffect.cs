namespace IdentityHub.Cedar;

/// <summary>What a satisfied policy contributes to the decision. A satisfied forbid always wins over any permit.</summary>
public enum PolicyEffect
{
    /// <summary>Allows the request unless some satisfied forbid policy denies it.</summary>
    Permit,

    /// <summary>Denies the request regardless of any permit.</summary>
    Forbid,
}
