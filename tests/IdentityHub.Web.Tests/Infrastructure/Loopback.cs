using System.Net;
using System.Net.Sockets;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// Other client IPs without a proxy or forwarded headers: the whole of 127.0.0.0/8 is local on Linux, so a client
/// socket bound to 127.0.0.7 before it connects to the server on 127.0.0.1 is seen by the server as coming from
/// 127.0.0.7 (<c>HttpContext.Connection.RemoteIpAddress</c>), exactly as another machine would be.
/// </summary>
public static class Loopback
{
    private static int next;

    /// <summary>A loopback address no other caller in this test process gets (never 127.0.0.1).</summary>
    public static IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref next);
        return new IPAddress([127, 0, (byte)(1 + n / 250), (byte)(1 + n % 250)]);
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on right now (for a listener of the test's own, or a server that is down).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Connects to <paramref name="server"/> from <paramref name="from"/> (a SocketsHttpHandler ConnectCallback).</summary>
    public static async ValueTask<Stream> ConnectFromAsync(IPAddress from, DnsEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
