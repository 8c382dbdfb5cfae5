using System.Security.Claims;
using IdentityHub.Accounts;
using IdentityHub.Errors;
using IdentityHub.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.StepUp;

/// <summary>
/// Issues and validates step-up tokens: short-lived JWTs of their own type (<c>step-up+jwt</c>) and audience,
/// signed with the authorization server's key, carrying the same <c>sub</c>, <c>tid</c> and <c>sid</c> as the access
/// token they were derived from, <c>auth_time</c> = the re-authentication, <c>amr: ["pwd"]</c> and a <c>jti</c>.
/// </summary>
public sealed class StepUpTokenService(StepUpSigningKey signingKey, IOptions<StepUpOptions> options, IdentityHubMetrics metrics, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Issues a step-up token for a user who has just re-entered their password in session <paramref name="sessionId"/>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(HubUser user, string sessionId, string? clientId, string issuer)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.Lifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.Id.ToString(),
            ["tid"] = user.TenantId.ToString(),
            ["sid"] = sessionId,
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["amr"] = new[] { "pwd" },
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (clientId is not null)
        {
            claims["client_id"] = clientId;
        }
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = StepUpOptions.Audience,
            TokenType = StepUpOptions.TokenType,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey.Key, signingKey.Algorithm),
        });
        metrics.StepUpTokenIssued();
        return (token, expires);
    }

    /// <summary>
    /// Validates a presented step-up token, which must come from <paramref name="issuer"/> (the issuer this server
    /// issues under). Fails with <see cref="HubErrorCode.StepUpRequired"/> when no token is given,
    /// <see cref="HubErrorCode.StepUpExpired"/> when it is ours, of the step-up type, but past its expiry, and
    /// <see cref="HubErrorCode.StepUpInvalid"/> for anything else (unreadable, wrong signature, type or audience, missing claims).
    /// </summary>
    public async Task<HubResult<StepUpProof>> ValidateAsync(string? token, string issuer)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return HubResult<StepUpProof>.Failed(HubErrorCode.StepUpRequired);
        }
        // Lifetime is checked below against the injected clock, after the signature, type and audience.
        var result = await Handler.ValidateTokenAsync(token.Trim(), new TokenValidationParameters
        {
            IssuerSigningKeys = signingKey.ValidationKeys,
            ValidAlgorithms = [signingKey.Algorithm],
            ValidTypes = [StepUpOptions.TokenType],
            ValidAudience = StepUpOptions.Audience,
            ValidIssuer = issuer,
            ValidateLifetime = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return HubResult<StepUpProof>.Failed(HubErrorCode.StepUpInvalid);
        }
        if (!Guid.TryParse(Claim(jwt, "sub"), out var userId) || !Guid.TryParse(Claim(jwt, "tid"), out var tenantId) ||
            Claim(jwt, "sid") is not { Length: > 0 } sessionId || Claim(jwt, "jti") is not { Length: > 0 } tokenId ||
            !jwt.TryGetPayloadValue<long>("auth_time", out var authTime))
        {
            return HubResult<StepUpProof>.Failed(HubErrorCode.StepUpInvalid);
        }
        var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expiresAt <= clock.GetUtcNow())
        {
            return HubResult<StepUpProof>.Failed(HubErrorCode.StepUpExpired);
        }
        return HubResult<StepUpProof>.Ok(new StepUpProof(tokenId, userId, tenantId, sessionId, DateTimeOffset.FromUnixTimeSeconds(authTime), expiresAt,
            Claim(jwt, "client_id")));
    }

    private static string? Claim(JsonWebToken jwt, string type) => jwt.TryGetClaim(type, out var claim) ? claim.Value : null;
}
