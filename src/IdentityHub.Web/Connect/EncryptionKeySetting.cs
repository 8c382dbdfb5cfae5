namespace IdentityHub.Web.Connect;

/// <summary>One 256-bit token encryption key of <see cref="KeyOptions.Encryption"/>, base64, inline or in a file.</summary>
public sealed class EncryptionKeySetting
{
    /// <summary>The key: 32 random bytes, base64 (<c>openssl rand -base64 32</c>). Set this or <see cref="Path"/>.</summary>
    public string? Key { get; set; }

    /// <summary>Path of a file holding the base64 key, relative to the content root unless absolute.</summary>
    public string? Path { get; set; }
}
