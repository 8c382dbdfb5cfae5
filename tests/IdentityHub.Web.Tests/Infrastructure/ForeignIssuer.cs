using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>Mints access-token-shaped JWTs signed with a key the server has never seen.</summary>
public static class ForeignIssuer
{
    public static string Mint(string issuer, Guid userId, Guid tenantId, string sessionId)
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "foreign" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            TokenType = "at+jwt",
            Expires = DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("tid", tenantId.ToString()), new Claim("sid", sessionId)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
