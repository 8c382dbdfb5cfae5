using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.Notifications;

namespace IdentityHub.Web.Tests.Cluster;

/// <summary>
/// One instance of a cluster: the real host on its own port, delivering to the cluster's SMTP sink, and (but for the
/// first) over the first instance's SQLite file and signing keys, as instances behind a load balancer share one
/// database and one key configuration. Every instance has the issuer of the cluster's public address
/// (<see cref="Issuer"/>), as instances behind a load balancer do; the clients of a node reach that address on the
/// node's own port, as if the load balancer had picked it.
/// </summary>
public sealed class ClusterNode : MailApplication
{
    private readonly Action<Dictionary<string, object?>>? configure;

    public ClusterNode(SmtpSink sink, string? databaseDirectoryOf, Action<Dictionary<string, object?>>? configure = null)
        : base(sink, databaseDirectoryOf)
    {
        this.configure = configure;
    }

    /// <summary>The cluster's public address, the issuer of every instance.</summary>
    public const string Issuer = "http://cluster.test/";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        settings["Server"] = new { AllowInsecureHttp = true, Issuer };
        configure?.Invoke(settings);
    }

    public override HttpClient CreateBrowserlessClient(CookieContainer? cookies = null, IPAddress? from = null) =>
        ClientOf(Address.Port, cookies, from);

    /// <summary>A client of the cluster's public address whose connections reach the instance on <paramref name="port"/>.</summary>
    public static HttpClient ClientOf(int port, CookieContainer? cookies = null, IPAddress? from = null)
    {
        var node = new DnsEndPoint("127.0.0.1", port);
        return new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            UseCookies = true,
            ConnectCallback = (_, cancellationToken) => Loopback.ConnectFromAsync(from ?? IPAddress.Loopback, node, cancellationToken),
        })
        {
            BaseAddress = new Uri(Issuer),
        };
    }
}
