using MimeKit;

namespace IdentityHub.Notifications;

/// <summary>The embedded default: each message becomes a <c>.eml</c> file in a folder, readable by any mail client.</summary>
public sealed class PickupDirectoryMailTransport(string directory, TimeProvider clock) : IMailTransport
{
    /// <inheritdoc />
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = $"{clock.GetUtcNow():yyyyMMddTHHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Trim('<', '>').Split('@')[0]}.eml";
        var temporary = Path.Combine(directory, name + ".tmp");
        // 7-bit transfer encodings (quoted-printable for accented text), as an SMTP client would use for a server
        // without 8BITMIME: any mail reader opens the file correctly.
        message.Prepare(EncodingConstraint.SevenBit);
        // Written under a temporary name, then renamed, so a reader never sees half a message.
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
    }

    /// <inheritdoc />
    public string Describe() => $"the folder {directory} (.eml files)";
}
