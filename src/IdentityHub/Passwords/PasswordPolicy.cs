namespace IdentityHub.Passwords;

/// <summary>INTERIM.</summary>
public sealed record PasswordPolicy(string Preset, int MinLength, int MaxLength, int HistoryDepth)
{
    public static PasswordPolicy Resolve(PasswordPolicyOptions? options) =>
        new(options?.Preset ?? "strict", options?.MinLength ?? 12, options?.MaxLength ?? 128, options?.HistoryDepth ?? 5);
}
