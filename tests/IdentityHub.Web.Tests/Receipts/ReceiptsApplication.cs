using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using IdentityHub.Web.Tests.PasswordResets;

namespace IdentityHub.Web.Tests.Receipts;

/// <summary>
/// The reset fixture (real SMTP, reset links by email) plus relying parties with back-channel logout URIs on a
/// receiver the fixture runs (one answering 200, one 400), and administrator clients: one for every tenant, one
/// bound to tenant B.
/// </summary>
public sealed class ReceiptsApplication : ResetApplication
{
    /// <summary>Confidential password-grant clients of tenant A: told at /ok (200), at /refuse (400).</summary>
    public const string NotifiedClient = "rcpt-notified", RefusingClient = "rcpt-refuses";

    public const string Secret = "rcpt-secret-0123456789";

    public const string Admin = "rcpt-admin", AdminOfB = "rcpt-admin-b";

    public LogoutReceiver Receiver { get; } = new();

    protected override void Configure(Dictionary<string, object?> settings)
    {
        base.Configure(settings);
        var seed = JsonSerializer.SerializeToNode(settings["Seed"])!;
        var clients = seed["Clients"]!.AsArray();
        foreach (var (clientId, path) in new[] { (NotifiedClient, "/ok"), (RefusingClient, "/refuse") })
        {
            clients.Add(JsonSerializer.SerializeToNode(new
            {
                ClientId = clientId, ClientSecret = Secret, TenantId = TestData.TenantA, GrantTypes = new[] { "password", "refresh_token" },
                Scopes = new[] { "openid", "offline_access", "account" }, BackchannelLogoutUri = Receiver.Uri(path),
            }));
        }
        clients.Add(JsonSerializer.SerializeToNode(new { ClientId = Admin, ClientSecret = Secret, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = true }));
        clients.Add(JsonSerializer.SerializeToNode(new
        {
            ClientId = AdminOfB, ClientSecret = Secret, TenantId = TestData.TenantB, GrantTypes = new[] { "client_credentials" }, Scopes = new[] { "admin" }, Admin = true,
        }));
        settings["Seed"] = seed;
    }

    /// <summary>An admin API GET as <paramref name="clientId"/>.</summary>
    public Task<ApiResponse> AdminGetAsync(string path, string clientId = Admin) => AdminAsync(HttpMethod.Get, path, null, clientId);

    /// <summary>An admin API call as <paramref name="clientId"/>, with a JSON body when given.</summary>
    public async Task<ApiResponse> AdminAsync(HttpMethod method, string path, object? body, string clientId = Admin)
    {
        var oauth = new OAuthClient(this);
        var token = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = (await oauth.DiscoverAsync()).TokenEndpoint, ClientId = clientId, ClientSecret = Secret, Scope = "admin",
        });
        Assert.False(token.IsError, $"{token.Error}: {token.ErrorDescription}");
        return await ApiCall.SendAsync(oauth.Http, method, path, token.AccessToken, body is null ? null : JsonSerializer.Serialize(body));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
