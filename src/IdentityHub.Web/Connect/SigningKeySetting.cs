namespace IdentityHub.Web.Connect;

/// <summary>One ES256 signing key of <see cref="KeyOptions.Signing"/>: a P-256 private key PEM, inline or in a file.</summary>
public sealed class SigningKeySetting
{
    /// <summary>The PEM itself (PKCS#8, SEC1, or encrypted PKCS#8 with <see cref="Password"/>). Set this or <see cref="Path"/>.</summary>
    public string? Pem { get; set; }

    /// <summary>Path of a file holding the PEM, relative to the content root unless absolute.</summary>
    public string? Path { get; set; }

    /// <summary>The password of an encrypted PKCS#8 PEM (<c>-----BEGIN ENCRYPTED PRIVATE KEY-----</c>). Default none.</summary>
    public string? Password { get; set; }
}
