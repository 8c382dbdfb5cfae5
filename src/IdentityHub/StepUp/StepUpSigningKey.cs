using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.StepUp;

/// <summary>The key step-up tokens are signed with: the host registers the authorization server's signing key.</summary>
/// <param name="Key">An asymmetric signing key (ES256 in IdentityHub): the current one, which signs.</param>
/// <param name="Algorithm">The JWS algorithm for <paramref name="Key"/>.</param>
public sealed record StepUpSigningKey(SecurityKey Key, string Algorithm)
{
    /// <summary>The keys a presented step-up token may be signed with: the current one and, during a rotation, the previous ones.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; init; } = [Key];
}
