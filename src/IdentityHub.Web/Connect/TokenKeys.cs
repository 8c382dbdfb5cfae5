using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Web.Connect;

/// <summary>The signing and encryption keys the server uses, loaded from configuration or development storage.</summary>
internal sealed record TokenKeys(ECDsaSecurityKey SigningKey, SymmetricSecurityKey EncryptionKey)
{
    /// <summary>Loads the configured keys, or creates and keeps development keys; fails with a fix-it message.</summary>
    public static TokenKeys Load(KeyOptions options, string contentRoot)
    {
        if (options.UseDevelopmentKeys)
        {
            return LoadOrCreateDevelopmentKeys(Path.GetFullPath(Path.Combine(contentRoot, options.DevelopmentKeysPath)));
        }

        var pem = options.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(pem) && !string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            pem = File.ReadAllText(Path.GetFullPath(Path.Combine(contentRoot, options.SigningKeyPath)));
        }
        if (string.IsNullOrWhiteSpace(pem) || string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            throw new InvalidOperationException(
                "No token keys are configured. Set IdentityHub:Keys:SigningKeyPem (or SigningKeyPath) to a P-256 private key PEM " +
                "(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt) and IdentityHub:Keys:EncryptionKey " +
                "to 32 random bytes in base64 (openssl rand -base64 32), or set IdentityHub:Keys:UseDevelopmentKeys=true outside Production.");
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        if (ecdsa.KeySize != 256)
        {
            throw new InvalidOperationException("IdentityHub:Keys:SigningKeyPem must be a P-256 (prime256v1) key for ES256.");
        }
        var encryption = Convert.FromBase64String(options.EncryptionKey);
        if (encryption.Length != 32)
        {
            throw new InvalidOperationException("IdentityHub:Keys:EncryptionKey must be exactly 32 bytes (256 bits), base64-encoded.");
        }
        return Create(ecdsa, encryption);
    }

    private static TokenKeys LoadOrCreateDevelopmentKeys(string path)
    {
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"The development key file {path} is unreadable; delete it to create new keys.");
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(stored.SigningKeyPem);
            return Create(ecdsa, Convert.FromBase64String(stored.EncryptionKey));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encryption = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, JsonSerializer.Serialize(new StoredKeys(created.ExportPkcs8PrivateKeyPem(), Convert.ToBase64String(encryption))));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return Create(created, encryption);
    }

    private static TokenKeys Create(ECDsa ecdsa, byte[] encryption)
    {
        // The key id is derived from the public key, so it is stable across restarts and differs between keys.
        var publicKey = ecdsa.ExportSubjectPublicKeyInfo();
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(publicKey)[..12]);
        var encryptionKid = Base64UrlEncoder.Encode(SHA256.HashData(encryption)[..12]);
        return new TokenKeys(new ECDsaSecurityKey(ecdsa) { KeyId = kid }, new SymmetricSecurityKey(encryption) { KeyId = encryptionKid });
    }

    private sealed record StoredKeys(string SigningKeyPem, string EncryptionKey);
}
