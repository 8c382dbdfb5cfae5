namespace IdentityHub.Administration;

/// <summary>An account an administrator creates; never printed with its password.</summary>
/// <param name="Email">The email, unique within the tenant.</param>
/// <param name="DisplayName">Display name, optional.</param>
/// <param name="Locale">Preferred BCP 47 locale, optional.</param>
/// <param name="Roles">Roles (the <c>Group</c>s of the user in Cedar policies).</param>
/// <param name="Password">An initial password (the tenant's full policy applies), or null with <paramref name="Invite"/>.</param>
/// <param name="Invite">True to create the account without a password and email the person a link to set one.</param>
public sealed record NewUser(string? Email, string? DisplayName, string? Locale, IReadOnlyList<string> Roles, string? Password, bool Invite)
{
    /// <summary>The longest display name accepted.</summary>
    public const int MaxDisplayNameLength = 200;

    /// <summary>The most roles an account may be given at creation.</summary>
    public const int MaxRoles = 32;

    /// <inheritdoc/>
    public override string ToString() => $"NewUser {{ Email = {Email}, Invite = {Invite} }}";
}
