using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.BackchannelLogout;

/// <summary>
/// The default fixture plus relying parties with back-channel logout URIs on a receiver the fixture runs
/// (<see cref="Receiver"/>), and one on a receiver that is down until a test starts it (<see cref="LateReceiver"/>).
/// </summary>
public sealed class BackchannelLogoutApplication : HubApplication
{
    /// <summary>Public code-flow clients with a URI: A requires <c>sid</c>; Unused is never signed in to.</summary>
    public const string CodeClientA = "bcl-web-a", CodeClientB = "bcl-web-b", UnusedClient = "bcl-unused";

    /// <summary>Confidential password-grant clients of tenant A: told at /cli, at an endpoint answering 400, at the late receiver.</summary>
    public const string PasswordClient = "bcl-cli", RefusingClient = "bcl-refuses", LateClient = "bcl-late";

    public const string Secret = "bcl-secret-0123456789";

    public LogoutReceiver Receiver { get; } = new();

    public LogoutReceiver LateReceiver { get; } = new(start: false);

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!;
        var clients = seed["Clients"]!.AsArray();
        foreach (var (clientId, uri) in new[] { (CodeClientA, "/a"), (CodeClientB, "/b"), (UnusedClient, "/unused") })
        {
            clients.Add(JsonSerializer.SerializeToNode(new
            {
                ClientId = clientId, GrantTypes = new[] { "authorization_code" }, RedirectUris = new[] { TestData.SpaRedirectUri },
                Scopes = new[] { "openid" }, BackchannelLogoutUri = Receiver.Uri(uri), BackchannelLogoutSessionRequired = clientId == CodeClientA,
            }));
        }
        foreach (var (clientId, uri) in new[] { (PasswordClient, Receiver.Uri("/cli")), (RefusingClient, Receiver.Uri("/refuse")), (LateClient, LateReceiver.Uri("/late")) })
        {
            clients.Add(JsonSerializer.SerializeToNode(new
            {
                ClientId = clientId, ClientSecret = Secret, TenantId = TestData.TenantA, GrantTypes = new[] { "password" },
                Scopes = new[] { "openid", "account" }, BackchannelLogoutUri = uri,
            }));
        }
        settings["Seed"] = seed;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        await LateReceiver.DisposeAsync();
    }
}
