using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace IdentityHub.Notifications;

/// <summary>The SMTP server mail is delivered to (MailKit). Bound from <c>IdentityHub:Mail:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name; empty (default) means "write .eml files to the pickup directory".</summary>
    public string? Host { get; set; }

    /// <summary>Port. Default 587.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// TLS: <c>None</c>, <c>StartTls</c> (default), <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>Auto</c>, in
    /// any letter case. Any other value stops the host at start (naming the key), not the first email.
    /// </summary>
    [EnumDataType(typeof(SecureSocketOptions))]
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>User name for SMTP authentication; none when empty.</summary>
    public string? Username { get; set; }

    /// <summary>Password for SMTP authentication (from configuration or secrets, never from code).</summary>
    public string? Password { get; set; }

    /// <summary>Connect/command timeout. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
