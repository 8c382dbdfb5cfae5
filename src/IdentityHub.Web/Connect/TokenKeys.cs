using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Web.Connect;

/// <summary>
/// The signing and encryption keys the server uses, loaded from configuration or development storage, current first:
/// the first signing key signs and the first encryption key encrypts; the others are only accepted.
/// </summary>
internal sealed record TokenKeys(IReadOnlyList<ECDsaSecurityKey> SigningKeys, IReadOnlyList<SymmetricSecurityKey> EncryptionKeys)
{
    private const string Section = "IdentityHub:Keys";

    /// <summary>Loads the configured keys, or creates and keeps development keys; fails with a fix-it message naming the key.</summary>
    public static TokenKeys Load(KeyOptions options, string contentRoot)
    {
        if (options.UseDevelopmentKeys)
        {
            return LoadOrCreateDevelopmentKeys(Path.GetFullPath(Path.Combine(contentRoot, options.DevelopmentKeysPath)));
        }

        var signing = SigningSettings(options);
        var encryption = EncryptionSettings(options);
        if (signing.Count == 0 || encryption.Count == 0)
        {
            throw new InvalidOperationException(
                $"No token keys are configured. Set {Section}:Signing:0:Path (or :Pem) to a P-256 private key PEM " +
                "(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt) and " +
                $"{Section}:Encryption:0:Key (or :Path) to 32 random bytes in base64 (openssl rand -base64 32), " +
                $"or set {Section}:UseDevelopmentKeys=true outside Production.");
        }
        var keys = new TokenKeys(
            [.. signing.Select(setting => LoadSigningKey(setting.Setting, setting.Name, contentRoot))],
            [.. encryption.Select(setting => LoadEncryptionKey(setting.Setting, setting.Name, contentRoot))]);
        RefuseDuplicates(keys.SigningKeys, "Signing");
        RefuseDuplicates(keys.EncryptionKeys, "Encryption");
        return keys;
    }

    /// <summary>The signing list, or the single-key settings as a list of one (never both).</summary>
    private static List<(SigningKeySetting Setting, string Name)> SigningSettings(KeyOptions options)
    {
        var single = !string.IsNullOrWhiteSpace(options.SigningKeyPem) || !string.IsNullOrWhiteSpace(options.SigningKeyPath);
        if (single && options.Signing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Both {Section}:Signing and {Section}:SigningKeyPem/SigningKeyPath are set: list every signing key under {Section}:Signing, current first, and remove the other.");
        }
        return single
            ? [(new SigningKeySetting { Pem = options.SigningKeyPem, Path = options.SigningKeyPath }, $"{Section}:SigningKeyPem")]
            : [.. options.Signing.Select((setting, i) => (setting, $"{Section}:Signing:{i}"))];
    }

    /// <summary>The encryption list, or the single-key setting as a list of one (never both).</summary>
    private static List<(EncryptionKeySetting Setting, string Name)> EncryptionSettings(KeyOptions options)
    {
        var single = !string.IsNullOrWhiteSpace(options.EncryptionKey);
        if (single && options.Encryption.Count > 0)
        {
            throw new InvalidOperationException(
                $"Both {Section}:Encryption and {Section}:EncryptionKey are set: list every encryption key under {Section}:Encryption, current first, and remove the other.");
        }
        return single
            ? [(new EncryptionKeySetting { Key = options.EncryptionKey }, $"{Section}:EncryptionKey")]
            : [.. options.Encryption.Select((setting, i) => (setting, $"{Section}:Encryption:{i}"))];
    }

    private static ECDsaSecurityKey LoadSigningKey(SigningKeySetting setting, string name, string contentRoot)
    {
        var pem = ReadInlineOrFile(setting.Pem, setting.Path, name, "Pem", contentRoot);
        var ecdsa = ECDsa.Create();
        try
        {
            if (string.IsNullOrEmpty(setting.Password))
            {
                ecdsa.ImportFromPem(pem);
            }
            else
            {
                ecdsa.ImportFromEncryptedPem(pem, setting.Password);
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // The exception's own message may describe the content; the key name and the cause are enough.
            throw new InvalidOperationException($"{name} is not a readable P-256 private key PEM (or its Password is wrong): {e.GetType().Name}.");
        }
        if (ecdsa.KeySize != 256)
        {
            throw new InvalidOperationException($"{name} must be a P-256 (prime256v1) key for ES256.");
        }
        return CreateSigningKey(ecdsa);
    }

    private static SymmetricSecurityKey LoadEncryptionKey(EncryptionKeySetting setting, string name, string contentRoot)
    {
        var text = ReadInlineOrFile(setting.Key, setting.Path, name, "Key", contentRoot);
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var length) || length != 32)
        {
            throw new InvalidOperationException($"{name} must be exactly 32 bytes (256 bits), base64-encoded (openssl rand -base64 32).");
        }
        return CreateEncryptionKey(buffer[..32]);
    }

    private static string ReadInlineOrFile(string? inline, string? path, string name, string inlineName, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(inline) && !string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{name} sets both {inlineName} and Path: keep one.");
        }
        if (!string.IsNullOrWhiteSpace(inline))
        {
            return inline;
        }
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{name} sets neither {inlineName} nor Path.");
        }
        var full = Path.GetFullPath(Path.Combine(contentRoot, path));
        if (!File.Exists(full))
        {
            throw new InvalidOperationException($"{name}: the key file {full} does not exist.");
        }
        return File.ReadAllText(full);
    }

    private static void RefuseDuplicates(IEnumerable<SecurityKey> keys, string list)
    {
        if (keys.GroupBy(k => k.KeyId).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new InvalidOperationException($"{Section}:{list} lists the same key (kid {duplicate.Key}) twice: remove one.");
        }
    }

    private static TokenKeys LoadOrCreateDevelopmentKeys(string path)
    {
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"The development key file {path} is unreadable; delete it to create new keys.");
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(stored.SigningKeyPem);
            return new TokenKeys([CreateSigningKey(ecdsa)], [CreateEncryptionKey(Convert.FromBase64String(stored.EncryptionKey))]);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encryption = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, JsonSerializer.Serialize(new StoredKeys(created.ExportPkcs8PrivateKeyPem(), Convert.ToBase64String(encryption))));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new TokenKeys([CreateSigningKey(created)], [CreateEncryptionKey(encryption)]);
    }

    // Key ids are derived from the key, so they are stable across restarts and hosts and differ between keys.
    private static ECDsaSecurityKey CreateSigningKey(ECDsa ecdsa) =>
        new(ecdsa) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())[..12]) };

    private static SymmetricSecurityKey CreateEncryptionKey(byte[] key) =>
        new(key) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(key)[..12]) };

    private sealed record StoredKeys(string SigningKeyPem, string EncryptionKey);
}
