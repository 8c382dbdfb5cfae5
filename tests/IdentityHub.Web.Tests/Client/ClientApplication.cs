using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Client;

/// <summary>
/// The default fixture plus <see cref="ReceiverApp"/>, a relying party using IdentityHub.Client, registered as the
/// back-channel logout URI of a confidential password-grant client of tenant A (<see cref="ClientId"/>), which may also
/// open Shared Signals streams (client credentials with <c>ssf.manage</c>).
/// </summary>
public sealed class ClientApplication : HubApplication, IAsyncLifetime
{
    public const string ClientId = "receiver-app";
    public const string Secret = "receiver-secret-0123456789";

    public ReceiverApp Receiver { get; } = new(ClientId);

    public Task InitializeAsync() => Receiver.StartAsync(Address);

    Task IAsyncLifetime.DisposeAsync() => Receiver.DisposeAsync().AsTask();

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!;
        seed["Clients"]!.AsArray().Add(JsonSerializer.SerializeToNode(new
        {
            ClientId, ClientSecret = Secret, TenantId = TestData.TenantA, GrantTypes = new[] { "password", "client_credentials" },
            Scopes = new[] { "openid", "account", "email", "ssf.manage" }, BackchannelLogoutUri = Receiver.Address + "backchannel-logout",
        }));
        settings["Seed"] = seed;
    }
}
