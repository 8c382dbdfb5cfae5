using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.StepUp;

/// <summary>The key step-up tokens are signed with: the host registers the authorization server's signing key.</summary>
/// <param name="Key">An asymmetric signing key (ES256 in IdentityHub).</param>
/// <param name="Algorithm">The JWS algorithm for <paramref name="Key"/>.</param>
public sealed record StepUpSigningKey(SecurityKey Key, string Algorithm);
