using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Cluster;

/// <summary>
/// Two instances of the real host (A and B, each on its own port) over one SQLite file with the same keys, delivering
/// to one real SMTP server. A starts first (it migrates, seeds and writes the keys); B finds all three done.
/// </summary>
public class ClusterFixture : IDisposable
{
    public ClusterFixture()
    {
        A = new ClusterNode(new SmtpSink(), null, settings => Configure(WithHeldLogoutClient(settings)));
        _ = A.Address;
        B = new ClusterNode(A.Sink, A.Directory, settings => Configure(WithHeldLogoutClient(settings)));
        _ = B.Address;
    }

    public ClusterNode A { get; }

    public ClusterNode B { get; }

    public SmtpSink Sink => A.Sink;

    /// <summary>The back-channel logout endpoint of <see cref="HeldLogoutClient"/>, which holds its answers until released.</summary>
    public LogoutReceiver Logouts { get; } = new();

    /// <summary>A password-grant client of tenant A whose back-channel logout URI is <see cref="Logouts"/>' <c>/hold</c>.</summary>
    public const string HeldLogoutClient = "cluster-bcl", HeldLogoutSecret = "cluster-bcl-secret-0123";

    /// <summary>A for even numbers, B for odd ones: spreads a series of requests over both.</summary>
    public ClusterNode Node(int index) => index % 2 == 0 ? A : B;

    /// <summary>Settings every instance gets, over the mail fixture's.</summary>
    protected virtual void Configure(Dictionary<string, object?> settings)
    {
    }

    private Dictionary<string, object?> WithHeldLogoutClient(Dictionary<string, object?> settings)
    {
        var seed = System.Text.Json.JsonSerializer.SerializeToNode(settings["Seed"])!;
        seed["Clients"]!.AsArray().Add(System.Text.Json.JsonSerializer.SerializeToNode(new
        {
            ClientId = HeldLogoutClient, ClientSecret = HeldLogoutSecret, TenantId = TestData.TenantA, GrantTypes = new[] { "password" },
            Scopes = new[] { "openid", "account" }, BackchannelLogoutUri = Logouts.Uri("/hold"),
        }));
        settings["Seed"] = seed;
        return settings;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            B.Dispose();
            // A last: it owns the database folder and the SMTP sink.
            A.Dispose();
            Logouts.Release();
            Logouts.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
