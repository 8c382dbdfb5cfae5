namespace IdentityHub.AccountPolicies;

/// <summary>The product's verdict on an account action.</summary>
/// <param name="Allowed">Whether the action may proceed.</param>
/// <param name="Notices">The localized <c>@notice</c> annotations of the forbid policies that determined a denial.</param>
/// <param name="PolicyIds">The ids (<c>@id</c>, else <c>policyN</c>) of the policies that determined a denial.</param>
public sealed record AccountPolicyDecision(bool Allowed, IReadOnlyList<string> Notices, IReadOnlyList<string> PolicyIds)
{
    /// <summary>The shared "allowed" verdict.</summary>
    public static AccountPolicyDecision Allow { get; } = new(true, [], []);
}
