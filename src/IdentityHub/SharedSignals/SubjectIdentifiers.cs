using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.SharedSignals;

/// <summary>
/// A user as a stream's SETs name them (<c>sub_id</c>, RFC 9493 in the format the stream asked for): <c>iss_sub</c>
/// (the issuer and the user's id, the <c>sub</c> of their ID tokens), <c>email</c>, or <c>opaque</c>, a pseudonym stable
/// for the stream and unlinkable across streams: HMAC-SHA256 of the user's id under the stream's own secret, never the id.
/// </summary>
public static class SubjectIdentifiers
{
    /// <summary>The user's subject identifier for <paramref name="stream"/>; null for <c>email</c> when the user has no address.</summary>
    public static JsonObject? For(SecurityEventStream stream, Guid userId, string? email) => stream.Format switch
    {
        SharedSignalsConstants.EmailFormat => string.IsNullOrEmpty(email) ? null
            : new JsonObject { ["format"] = SharedSignalsConstants.EmailFormat, ["email"] = email },
        SharedSignalsConstants.OpaqueFormat => new JsonObject { ["format"] = SharedSignalsConstants.OpaqueFormat, ["id"] = Opaque(stream.OpaqueKey, userId) },
        _ => new JsonObject { ["format"] = SharedSignalsConstants.IssSubFormat, ["iss"] = stream.Issuer, ["sub"] = userId.ToString() },
    };

    /// <summary>The stream itself, the subject of its verification event (SSF 1.0 section 8.1.4).</summary>
    public static JsonObject ForStream(SecurityEventStream stream) =>
        new() { ["format"] = SharedSignalsConstants.OpaqueFormat, ["id"] = stream.Id.ToString("N") };

    /// <summary>The opaque id of <paramref name="userId"/> under a stream's secret.</summary>
    public static string Opaque(byte[] streamKey, Guid userId) => Base64UrlEncoder.Encode(HMACSHA256.HashData(streamKey, userId.ToByteArray()));
}
