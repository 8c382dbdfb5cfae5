using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>A host with one more resource server: <c>orders.read</c> reaches https://orders.example.test.</summary>
public sealed class AudienceApplication : HubApplication
{
    public const string OrdersScope = "orders.read";
    public const string OrdersResource = "https://orders.example.test/api";
    public const string OrdersClient = "test-orders";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        settings["Server"] = new Dictionary<string, object?>
        {
            ["AllowInsecureHttp"] = true,
            ["ScopeResources"] = new Dictionary<string, string[]> { [OrdersScope] = [OrdersResource] },
        };
        var seed = System.Text.Json.JsonSerializer.SerializeToNode(settings["Seed"])!.AsObject();
        seed["Scopes"] = new System.Text.Json.Nodes.JsonArray(OrdersScope);
        seed["Clients"]!.AsArray().Add(System.Text.Json.JsonSerializer.SerializeToNode(new
        {
            ClientId = OrdersClient, ClientSecret = TestData.CliSecret, TenantId = TestData.TenantA,
            GrantTypes = new[] { "password", "refresh_token" }, Scopes = new[] { "openid", OrdersScope, "account" },
            Resources = new[] { OrdersResource },
        }));
        settings["Seed"] = seed;
    }
}

/// <summary>Access tokens carry an audience, and the account API accepts only its own (RFC 9068, RFC 8707).</summary>
public sealed class AudienceTests(AudienceApplication app) : IClassFixture<AudienceApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task AnOpenidOnlyToken_HasNoAudience_AndChangesNoPassword_InAnyDialect_NorGetsAStepUpToken()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid");
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Empty(new JsonWebToken(tokens.AccessToken).Audiences);

        var v1 = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        var envelope = await ApiCall.EnvelopeChangeAsync(oauth.Http, tokens.AccessToken, TestData.StrongPassword, TestData.OtherStrongPassword);
        var stepUp = await oauth.StepUpAsync(tokens.AccessToken!, TestData.StrongPassword);
        var exchange = await oauth.TokenExchangeStepUpAsync(tokens.AccessToken!, TestData.StrongPassword);
        var stepUpDialect = await ApiCall.StepUpChangeAsync(oauth.Http, tokens.AccessToken, "any", TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, v1.Status);
        Assert.Equal("unauthenticated", v1.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, envelope.Status);
        Assert.Equal(401, envelope.Body.GetProperty("code").GetInt32());
        Assert.Equal("invalid_grant", stepUp.Error);
        Assert.Equal("invalid_grant", exchange.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, stepUpDialect.Status);
        Assert.Equal("ACCESS_TOKEN_INVALID", stepUpDialect.Code);
        // Nothing changed.
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task TheAccountScope_GrantsTheAccountAudience_AndOtherScopesTheirResources()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);

        var account = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid offline_access account");
        var orders = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, AudienceApplication.OrdersClient, TestData.CliSecret, $"openid {AudienceApplication.OrdersScope}");

        Assert.Equal(["urn:identityhub:account"], new JsonWebToken(account.AccessToken).Audiences);
        Assert.Equal([AudienceApplication.OrdersResource], new JsonWebToken(orders.AccessToken).Audiences);
        // A token for the orders API is not a token for the account API.
        var change = await ApiCall.V1ChangeAsync(oauth.Http, orders.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, change.Status);
        // And the audience survives a refresh.
        var refreshed = await oauth.RefreshAsync(account.RefreshToken!);
        Assert.Equal(["urn:identityhub:account"], new JsonWebToken(refreshed.AccessToken).Audiences);
    }

    [Fact]
    public async Task TheResourceParameter_NamesAnAllowedResource_AndAnyOtherIsRefused()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var disco = await oauth.DiscoverAsync();

        var allowed = await oauth.Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = AudienceApplication.OrdersClient, ClientSecret = TestData.CliSecret,
            UserName = email, Password = TestData.StrongPassword, Scope = "openid", Resource = { AudienceApplication.OrdersResource },
        });
        var notThisClients = await oauth.Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            UserName = email, Password = TestData.StrongPassword, Scope = "openid", Resource = { AudienceApplication.OrdersResource },
        });
        var unknown = await oauth.Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = AudienceApplication.OrdersClient, ClientSecret = TestData.CliSecret,
            UserName = email, Password = TestData.StrongPassword, Scope = "openid", Resource = { "https://elsewhere.example.test/api" },
        });

        Assert.False(allowed.IsError, $"{allowed.Error}: {allowed.ErrorDescription}");
        Assert.Contains(AudienceApplication.OrdersResource, new JsonWebToken(allowed.AccessToken).Audiences);
        Assert.True(notThisClients.IsError);
        Assert.True(unknown.IsError);
    }
}
