using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// Clients are remembered between requests (the lookup was a third of a token's cost). A remembered client must behave
/// exactly like a queried one, token entries included, and a change made through the manager must count at once.
/// </summary>
public sealed class ClientCacheTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task ARememberedClient_IssuesTokensWithEntries_AndAPermissionRemovedCountsAtOnce()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        Assert.False((await ClientCredentialsAsync()).IsError);
        // Remembered now: the password grant stores a token entry and an authorization that point at the client,
        // and a refresh reads them back.
        var signIn = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(signIn.IsError, signIn.Error);
        var refreshed = await oauth.RefreshAsync(signIn.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.False((await ClientCredentialsAsync()).IsError);

        await app.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            var client = await applications.FindByClientIdAsync(TestData.CliClient) ?? throw new InvalidOperationException("no client");
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, client);
            descriptor.Permissions.Remove(Permissions.GrantTypes.ClientCredentials);
            await applications.UpdateAsync(client, descriptor);
            return true;
        });

        var refused = await ClientCredentialsAsync();
        Assert.True(refused.IsError);
        Assert.Equal("unauthorized_client", refused.Error);
    }

    private async Task<TokenResponse> ClientCredentialsAsync()
    {
        var disco = await oauth.DiscoverAsync();
        return await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
        });
    }
}
