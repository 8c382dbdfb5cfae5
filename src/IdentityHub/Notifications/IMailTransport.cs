using MimeKit;

namespace IdentityHub.Notifications;

/// <summary>Delivers one MIME message: SMTP (MailKit) or a pickup directory. A failure throws.</summary>
public interface IMailTransport
{
    /// <summary>Delivers the message; returns only once the server (or the file system) accepted it.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);

    /// <summary>Where mail goes, for the startup log (never includes credentials).</summary>
    string Describe();
}
