using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Token signing and encryption keys. Bound from <c>IdentityHub:Keys</c>. Access tokens are signed with ES256
/// (P-256): about a tenth of the cost of RSA-2048 per signature and 1/150th of the RSA-4096 OpenIddict's
/// development certificates use. Authorization codes and refresh tokens, which only this server reads, are
/// encrypted with a 256-bit symmetric key (A256KW). Whether the keys are usable (a P-256 PEM, 32 bytes) is checked by
/// <see cref="TokenKeys.Load"/> while the server is registered, with a message saying how to make them.
/// Keys rotate through <see cref="Signing"/> and <see cref="Encryption"/>: the first key of each list is the current
/// one, the others are still accepted (docs/operations.md, "Rotating keys").
/// </summary>
public sealed class KeyOptions
{
    /// <summary>
    /// Generate keys on first start and keep them in <see cref="DevelopmentKeysPath"/>. Default false. Only for
    /// development and tests: a Production host refuses to start with it.
    /// </summary>
    public bool UseDevelopmentKeys { get; set; }

    /// <summary>Where development keys are kept, relative to the content root. Default <c>App_Data/development-keys.json</c>.</summary>
    [Required]
    public string DevelopmentKeysPath { get; set; } = "App_Data/development-keys.json";

    /// <summary>
    /// The ES256 signing keys, current first. The first signs every new token; all are published in the JWKS and
    /// accepted on tokens they signed. Default empty. Use either this list or <see cref="SigningKeyPem"/>/<see cref="SigningKeyPath"/>.
    /// </summary>
    public List<SigningKeySetting> Signing { get; set; } = [];

    /// <summary>
    /// The token encryption keys, current first. The first encrypts new authorization codes and refresh tokens; all
    /// decrypt. Default empty. Use either this list or <see cref="EncryptionKey"/>.
    /// </summary>
    public List<EncryptionKeySetting> Encryption { get; set; } = [];

    /// <summary>A single ES256 signing key: a PKCS#8 or SEC1 PEM of a P-256 private key (inline). The same as a one-entry <see cref="Signing"/>.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>Path of a file holding <see cref="SigningKeyPem"/>, as an alternative to inline PEM.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>A single 256-bit token encryption key, base64. The same as a one-entry <see cref="Encryption"/>.</summary>
    public string? EncryptionKey { get; set; }
}
