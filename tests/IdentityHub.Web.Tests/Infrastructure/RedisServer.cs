using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// A real Redis server in its own process: Debian's <c>redis-server</c> (installed by ./test.sh), on a free port, with
/// no persistence, in a temporary folder. Started and stopped by PID, on a fixed port so it can come back after a stop.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private readonly string directory = Directory.CreateTempSubdirectory("identityhub-redis-").FullName;
    private Process? process;

    public RedisServer()
    {
        Port = Loopback.FreePort();
        Start();
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public void Start()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException("The Redis tests need Debian's redis-server (installed by ./test.sh).");
        }
        var log = Path.Combine(directory, "redis.log");
        process = Process.Start(new ProcessStartInfo(Executable)
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--logfile", log },
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited: {(File.Exists(log) ? File.ReadAllText(log) : "no log")}");
            }
            if (Pings())
            {
                return;
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"redis-server did not answer on port {Port}.");
    }

    public void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>True when the server answers PING with PONG.</summary>
    private bool Pings()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
