using IdentityHub.Passwords;

namespace IdentityHub.Tenancy;

/// <summary>
/// A tenant: an isolated population of users with its own settings. The same email may exist once per tenant.
/// </summary>
public sealed class Tenant
{
    /// <summary>The tenant's UUID, also carried by tokens as the <c>tid</c> claim.</summary>
    public Guid Id { get; set; }

    /// <summary>Human-readable name, shown on pages and checked by the <c>contains_user_info</c> password rule.</summary>
    public string Name { get; set; } = "";

    /// <summary>The tenant's password policy (a preset plus overrides), stored with the tenant as JSON.</summary>
    public PasswordPolicyOptions PasswordPolicy { get; set; } = new();

    /// <summary>The tenant's Cedar policies for account actions; null or empty means the default set (self-service allowed).</summary>
    public string? Policies { get; set; }

    /// <summary>Attributes policies can read as <c>Tenant</c> entity attributes (e.g. <c>change_freeze: true</c>), stored as JSON.</summary>
    public Dictionary<string, string> Attributes { get; set; } = [];

    /// <summary>The attribute that, set to <c>true</c>, makes <see cref="RequiresVerifiedEmailForReset"/> true.</summary>
    public const string RequireVerifiedEmailForResetAttribute = "require_verified_email_for_reset";

    /// <summary>
    /// Whether "forgot password" sends a reset email only to a verified address (an unverified one gets nothing, with
    /// the same answer as an unknown email). Kept in <see cref="Attributes"/> (<see cref="RequireVerifiedEmailForResetAttribute"/>),
    /// so policies can read it too and no column is needed. Default false.
    /// </summary>
    public bool RequiresVerifiedEmailForReset =>
        Attributes.TryGetValue(RequireVerifiedEmailForResetAttribute, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>BCP 47 language used for this tenant's users when nothing more specific is known.</summary>
    public string DefaultLocale { get; set; } = "en";

    /// <summary>When the tenant was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
