using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Notifications;

/// <summary>A host delivering mail over SMTP to a real aiosmtpd process, with fast retries.</summary>
public class MailApplication : HubApplication
{
    private readonly string? sharedDirectory;

    public MailApplication()
    {
        Sink = new SmtpSink();
    }

    /// <summary>A host on the SMTP sink given, optionally on another host's database and keys (a restart).</summary>
    internal MailApplication(SmtpSink sink, string? databaseDirectoryOf)
    {
        Sink = sink;
        sharedDirectory = databaseDirectoryOf;
    }

    public SmtpSink Sink { get; }

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Mail"] = new
        {
            Smtp = new { Host = "127.0.0.1", Port = Sink.Port, Security = "None" },
            RetryBaseDelay = "00:00:00.200",
            RetryMaxDelay = "00:00:01",
            PollInterval = "00:00:00.200",
            MaxAttempts = 100,
        };
        if (sharedDirectory is not null)
        {
            settings["Database"] = TestDatabase.Settings(Path.Combine(sharedDirectory, "identityhub.db"));
            settings["Keys"] = new { UseDevelopmentKeys = true, DevelopmentKeysPath = Path.Combine(sharedDirectory, "keys.json") };
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && sharedDirectory is null)
        {
            Sink.Dispose();
        }
    }
}
