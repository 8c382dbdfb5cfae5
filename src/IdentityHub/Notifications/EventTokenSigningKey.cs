using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Notifications;

/// <summary>
/// The key the tokens the server pushes to relying parties (back-channel logout tokens) are signed with: the host
/// registers the authorization server's current signing key, the first one its JWKS lists, so receivers validate them
/// exactly as they validate ID tokens.
/// </summary>
/// <param name="Key">The current asymmetric signing key (ES256 in IdentityHub).</param>
/// <param name="Algorithm">The JWS algorithm for <paramref name="Key"/>.</param>
public sealed record EventTokenSigningKey(SecurityKey Key, string Algorithm);
