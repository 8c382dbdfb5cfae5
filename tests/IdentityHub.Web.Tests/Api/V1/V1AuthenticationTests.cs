using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Api.V1;

/// <summary>Every way a credential can be unusable gets seed 000's 401 <c>unauthenticated</c>, never a 500.</summary>
public sealed class V1AuthenticationTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    private Task<ApiResponse> ChangeWith(string? token) =>
        ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

    [Fact]
    public async Task MissingToken_Returns401_WithBearerChallenge()
    {
        var response = await ChangeWith(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
        Assert.StartsWith("Bearer", response.Message.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    [InlineData("a.b.c")]
    public async Task MalformedToken_Returns401(string token)
    {
        var response = await ChangeWith(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
        Assert.Contains("invalid_token", response.Message.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task TamperedToken_Returns401_AndChangesNothing()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]));
        var forged = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload.Replace("\"exp\":", "\"x\":1,\"exp\":"));

        var response = await ChangeWith($"{parts[0]}.{forged}.{parts[2]}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError, "the password must be unchanged");
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_Returns401()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var real = new JsonWebToken(await oauth.AccessTokenAsync(email));
        var forged = ForeignIssuer.Mint(real.Issuer, userId, TestData.TenantA, real.GetClaim("sid").Value);

        var response = await ChangeWith(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
    }

    [Fact]
    public async Task TokenFromAnotherIdentityHub_Returns401()
    {
        using var other = new HubApplication();
        var foreign = await new OAuthClient(other).AccessTokenAsync("alice@acme.test");

        var response = await ChangeWith(foreign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
    }

    [Fact]
    public async Task ExpiredToken_Returns401_Expired()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        app.Clock.Advance(TimeSpan.FromMinutes(16)); // the default lifetime is 15 minutes
        try
        {
            var response = await ChangeWith(token);

            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Equal("unauthenticated", response.Code);
            Assert.Contains("expired", response.Body.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-16));
        }
    }

    [Fact]
    public async Task ClientCredentialsToken_IsNotAUserCredential_Returns401()
    {
        var disco = await oauth.DiscoverAsync();
        var client = await Duende.IdentityModel.Client.HttpClientTokenRequestExtensions.RequestClientCredentialsTokenAsync(oauth.Http,
            new Duende.IdentityModel.Client.ClientCredentialsTokenRequest { Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret });
        Assert.False(client.IsError, client.Error);

        var response = await ChangeWith(client.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
    }

    [Fact]
    public async Task TokenOfASignedOutSession_Returns401()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        await app.WithServicesAsync(services =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IdentityHub.Sessions.SessionService>(services)
                .RevokeAllAsync(userId));

        var response = await ChangeWith(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthenticated", response.Code);
    }
}
