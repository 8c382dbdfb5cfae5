using System.Buffers.Binary;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;

namespace IdentityHub.Passwords;

/// <summary>
/// ASP.NET Core Identity's v3 password-hash layout, what its <c>PasswordHasher</c> writes and verifies: the marker
/// 0x01, then the PRF, the iteration count and the salt length as big-endian 32-bit integers, then the salt and the
/// subkey. A change writes its one derived key in it (<see cref="PasswordHistory.Derive"/>); a seeded hash is checked
/// against it before it is stored.
/// </summary>
public static class IdentityV3Hash
{
    private const int HeaderLength = 13;

    /// <summary>Identity refuses a salt or a subkey shorter than 128 bits.</summary>
    private const int MinimumLength = 16;

    /// <summary>The hash bytes for a key derived with <paramref name="prf"/> at <paramref name="iterations"/>.</summary>
    public static byte[] Write(KeyDerivationPrf prf, int iterations, byte[] salt, byte[] subkey)
    {
        var hash = new byte[HeaderLength + salt.Length + subkey.Length];
        hash[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(1), (uint)prf);
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(5), (uint)iterations);
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(hash.AsSpan(HeaderLength));
        subkey.CopyTo(hash.AsSpan(HeaderLength + salt.Length));
        return hash;
    }

    /// <summary>Whether <paramref name="hash"/> (base64) has the layout, a known PRF and a salt and subkey Identity accepts.</summary>
    public static bool IsWellFormed(string hash)
    {
        var bytes = new byte[hash.Length];
        if (!Convert.TryFromBase64String(hash, bytes, out var length) || length < HeaderLength || bytes[0] != 0x01)
        {
            return false;
        }
        var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        return prf <= (uint)KeyDerivationPrf.HMACSHA512 && iterations > 0 && saltLength >= MinimumLength
            && length - HeaderLength - saltLength >= MinimumLength;
    }
}
