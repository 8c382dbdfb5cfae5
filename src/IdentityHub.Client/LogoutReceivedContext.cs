using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Client;

/// <summary>A validated logout token, and what it ended: the session <see cref="SessionId"/>, else every session of <see cref="Subject"/>.</summary>
public sealed class LogoutReceivedContext(HttpContext context, AuthenticationScheme scheme, IdentityHubLogoutOptions options, JsonWebToken token)
    : BaseContext<IdentityHubLogoutOptions>(context, scheme, options)
{
    /// <summary>The validated token (its claims: <c>iss sub sid jti iat exp events</c>).</summary>
    public JsonWebToken Token { get; } = token;

    /// <summary>The <c>sid</c> claim, when present.</summary>
    public string? SessionId => Token.TryGetPayloadValue<string>("sid", out var sid) ? sid : null;

    /// <summary>The <c>sub</c> claim, when present.</summary>
    public string? Subject => Token.TryGetPayloadValue<string>("sub", out var sub) ? sub : null;
}
