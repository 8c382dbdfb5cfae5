using System.Net;
using System.Net.Sockets;

namespace IdentityHub.Web.Tests.Cluster;

/// <summary>
/// An SMTP server that accepts connections and never greets: a client delivering to it is stuck mid-delivery until
/// its timeout. Counts the connections it accepted.
/// </summary>
public sealed class BlackHoleSmtp : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> held = [];
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BlackHoleSmtp()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Completes when the first client has connected.</summary>
    public Task Connected => connected.Task;

    public void Dispose()
    {
        listener.Stop();
        lock (held)
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync();
                lock (held)
                {
                    held.Add(socket);
                }
                connected.TrySetResult();
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
