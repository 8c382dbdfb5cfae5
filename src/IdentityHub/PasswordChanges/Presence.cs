namespace IdentityHub.PasswordChanges;

/// <summary>What <see cref="PresenceCheck"/> established.</summary>
/// <param name="Proven">The right current password, or a good step-up token, was presented.</param>
/// <param name="SameAsCurrent">The new password verifies against the current hash (known only when proven).</param>
public sealed record Presence(bool Proven, bool SameAsCurrent)
{
    /// <summary>A wrong current password: counted toward lockout, and the change goes no further than the stateless rules.</summary>
    public static Presence WrongPassword { get; } = new(false, false);
}
