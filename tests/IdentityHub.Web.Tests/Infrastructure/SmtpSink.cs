using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// A real SMTP server in its own process: Debian's aiosmtpd with its Mailbox handler, which stores every accepted
/// message in a Maildir. Started and stopped by PID, on a fixed port so it can come back after a stop.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string maildir = Path.Combine(Path.GetTempPath(), "identityhub-smtp", Guid.NewGuid().ToString("N"));
    private Process? process;

    public SmtpSink(bool start = true)
    {
        Port = FreePort();
        if (start)
        {
            Start();
        }
    }

    public int Port { get; }

    public bool IsRunning => process is { HasExited: false };

    public void Start()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException("The SMTP sink needs Debian's python3-aiosmtpd (installed by ./test.sh).");
        }
        // Mailbox creates the Maildir itself, but not its parent.
        Directory.CreateDirectory(Path.GetDirectoryName(maildir)!);
        process = Process.Start(new ProcessStartInfo(Python, $"-m aiosmtpd -n -l 127.0.0.1:{Port} -c aiosmtpd.handlers.Mailbox {maildir}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"aiosmtpd exited: {process.StandardError.ReadToEnd()}");
                }
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException($"aiosmtpd did not listen on port {Port}.");
    }

    public void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process?.Dispose();
        process = null;
    }

    /// <summary>Every message accepted so far.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(maildir, "new");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).OrderBy(File.GetCreationTimeUtc).Select(f => MimeMessage.Load(f)).ToList()
            : [];
    }

    /// <summary>Waits until messages to <paramref name="recipient"/> arrive; returns them (possibly more than one, for the test to assert).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string recipient, int count = 1, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = Messages().Where(m => m.To.Mailboxes.Any(a => a.Address == recipient)).ToList();
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                // A short grace period lets a wrong duplicate show up before the caller counts.
                await Task.Delay(300);
                return Messages().Where(m => m.To.Mailboxes.Any(a => a.Address == recipient)).ToList();
            }
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(maildir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 (free when asked; a race with another process is unlikely).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
