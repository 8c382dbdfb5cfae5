using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>The OpenID Connect server as an independent client library sees it.</summary>
public sealed class AuthorizationServerTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task Discovery_AdvertisesEveryEndpoint_AndJwksHoldsTheES256SigningKey()
    {
        var disco = await oauth.DiscoverAsync();

        Assert.NotNull(disco.AuthorizeEndpoint);
        Assert.NotNull(disco.TokenEndpoint);
        Assert.NotNull(disco.UserInfoEndpoint);
        Assert.NotNull(disco.IntrospectionEndpoint);
        Assert.NotNull(disco.RevocationEndpoint);
        Assert.NotNull(disco.EndSessionEndpoint);
        Assert.Contains("S256", disco.CodeChallengeMethodsSupported);
        Assert.Contains("authorization_code", disco.GrantTypesSupported);
        Assert.Contains("client_credentials", disco.GrantTypesSupported);
        var key = Assert.Single(disco.KeySet!.Keys, k => k.Use == "sig");
        Assert.Equal("EC", key.Kty);
        Assert.Equal("P-256", key.Crv);
    }

    [Fact]
    public async Task AccessToken_IsASignedJwt_WithTheDocumentedClaims_VerifiableFromJwks()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var response = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid email offline_access account");
        Assert.False(response.IsError, response.Error);
        var disco = await oauth.DiscoverAsync();

        var jwt = new JsonWebToken(response.AccessToken);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(userId.ToString(), jwt.Subject);
        Assert.Equal(TestData.TenantA.ToString(), jwt.GetClaim("tid").Value);
        Assert.False(string.IsNullOrEmpty(jwt.GetClaim("sid").Value));
        Assert.True(jwt.TryGetPayloadValue<long>("auth_time", out var authTime) && authTime > 0);
        Assert.Equal(["pwd"], jwt.GetPayloadValue<string[]>("amr"));
        Assert.Equal(TestData.CliClient, jwt.GetClaim("client_id").Value);
        Assert.Contains("account", jwt.GetClaim("scope").Value.Split(' '));
        Assert.InRange((jwt.ValidTo - jwt.IssuedAt).TotalMinutes, 14.9, 15.1);

        // Any resource server can validate it with the published key.
        var keys = disco.KeySet!.Keys.Select(k => (SecurityKey)new JsonWebKey(JsonSerializer.Serialize(k)));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(response.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = disco.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = keys,
            ValidTypes = ["at+jwt"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task UsedRefreshToken_IsRefusedAtOnce_AndItsReuseRevokesTheWholeChain()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var first = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        var second = await oauth.RefreshAsync(first.RefreshToken!);
        Assert.False(second.IsError, second.Error);

        // Immediately, not after a 30-second leeway: the default leeway is zero.
        var reused = await oauth.RefreshAsync(first.RefreshToken!);
        // The reuse says the old token leaked: the token rotated from it is revoked too (RFC 9700 §4.14).
        var afterReuse = await oauth.RefreshAsync(second.RefreshToken!);
        var introspection = await oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = (await oauth.DiscoverAsync()).IntrospectionEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            Token = second.RefreshToken!, TokenTypeHint = "refresh_token",
        });

        Assert.Equal("invalid_grant", reused.Error);
        Assert.Equal("invalid_grant", afterReuse.Error);
        Assert.False(introspection.IsActive);
    }

    [Fact]
    public async Task TenantBoundClient_RefusesAcrValuesNamingAnotherTenant()
    {
        var disco = await oauth.DiscoverAsync();
        var url = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(TestData.BoundSpaClient, "code", "openid", TestData.SpaRedirectUri,
            state: "s", codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", codeChallengeMethod: "S256", acrValues: $"tenant:{TestData.TenantB}");

        var response = await oauth.Http.GetAsync(url);

        // The error goes back to the client, like any OAuth error on a valid redirect URI; no sign-in page, no code.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(TestData.SpaRedirectUri, location);
        Assert.Contains("error=invalid_request", location);
        Assert.DoesNotContain("code=", location);
    }

    [Fact]
    public async Task TenantBoundClient_SignsInItsOwnTenantsUsers_AndNeverAnotherTenants()
    {
        var own = await oauth.AuthorizationCodeAsync("alice@acme.test", TestData.StrongPassword, scope: "openid offline_access", clientId: TestData.BoundSpaClient);
        Assert.False(own.IsError, own.Error);
        Assert.Equal(TestData.TenantA.ToString(), new JsonWebToken(own.AccessToken).GetClaim("tid").Value);

        // Tenant B's alice signs in on the page (picking her tenant), but the bound client's authorize sends her back
        // to sign in for tenant A instead of issuing a code.
        var browser = new OAuthClient(app);
        var disco = await browser.DiscoverAsync();
        var url = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(TestData.BoundSpaClient, "code", "openid", TestData.SpaRedirectUri,
            state: "s", codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", codeChallengeMethod: "S256");
        var login = (await browser.Http.GetAsync(url)).Headers.Location!.ToString();
        Assert.Contains($"tenant={TestData.TenantA}", login);
        var signIn = await browser.SignInAsync(login, "alice@acme.test", TestData.OtherStrongPassword, TestData.TenantB);
        var back = signIn.StatusCode == HttpStatusCode.Redirect ? await browser.Http.GetAsync(signIn.Headers.Location) : signIn;
        Assert.DoesNotContain("code=", back.Headers.Location?.ToString() ?? "");
    }

    [Fact]
    public async Task RefreshExchange_RechecksTheClientsTenant_AfterTheClientIsRebound()
    {
        var tokens = await oauth.AuthorizationCodeAsync("alice@acme.test", TestData.StrongPassword, scope: "openid offline_access", clientId: TestData.BoundSpaClient);
        Assert.False(tokens.IsError, tokens.Error);

        // An operator rebinds the client to tenant B: tenant A's refresh tokens stop working for it at once.
        await SetClientTenantAsync(TestData.BoundSpaClient, TestData.TenantB);
        try
        {
            var refreshed = await oauth.RefreshAsync(tokens.RefreshToken!, TestData.BoundSpaClient, secret: null);
            Assert.Equal("invalid_grant", refreshed.Error);
        }
        finally
        {
            await SetClientTenantAsync(TestData.BoundSpaClient, TestData.TenantA);
        }
    }

    private Task SetClientTenantAsync(string clientId, Guid tenantId) => app.WithServicesAsync(async services =>
    {
        var applications = services.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        var application = (await applications.FindByClientIdAsync(clientId))!;
        var descriptor = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application);
        descriptor.Properties["tenant_id"] = JsonSerializer.SerializeToElement(tenantId.ToString());
        await applications.UpdateAsync(application, descriptor);
        return true;
    });

    [Fact]
    public async Task RefreshToken_Rotates_AndKeepsTheSession()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var first = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var second = await oauth.RefreshAsync(first.RefreshToken!);

        Assert.False(second.IsError, second.Error);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(new JsonWebToken(first.AccessToken).GetClaim("sid").Value, new JsonWebToken(second.AccessToken).GetClaim("sid").Value);
        var change = await ApiCall.V1ChangeAsync(oauth.Http, second.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
    }

    [Fact]
    public async Task ClientCredentials_IssuesAToken_ButPasswordGrantIsRefusedToClientsWithoutIt()
    {
        var disco = await oauth.DiscoverAsync();
        var clientToken = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
        });
        Assert.False(clientToken.IsError, clientToken.Error);
        Assert.Equal(TestData.CliClient, new JsonWebToken(clientToken.AccessToken).Subject);

        // test-spa is a public client configured for the code flow only.
        var password = await oauth.Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.SpaClient, UserName = "alice@acme.test", Password = TestData.StrongPassword,
        });
        Assert.True(password.IsError);
        Assert.Equal("unauthorized_client", password.Error);

        var wrongSecret = await oauth.PasswordGrantAsync("alice@acme.test", TestData.StrongPassword, TestData.CliClient, "wrong-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.HttpStatusCode);
        Assert.Equal("invalid_client", wrongSecret.Json?.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentialsTokens_AreNotStored_ButIntrospectAsActive()
    {
        var disco = await oauth.DiscoverAsync();
        var tokensBefore = await app.QueryAsync(db => db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().CountAsync());

        var clientToken = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
        });

        Assert.False(clientToken.IsError, clientToken.Error);
        Assert.Equal(tokensBefore, await app.QueryAsync(db => db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().CountAsync()));
        var introspection = await oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = disco.IntrospectionEndpoint!, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, Token = clientToken.AccessToken!,
        });
        Assert.True(introspection.IsActive);
    }

    [Fact]
    public async Task Revocation_And_Introspection_WorkForConfidentialClients()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        var disco = await oauth.DiscoverAsync();

        var active = await oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = disco.IntrospectionEndpoint!, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, Token = tokens.AccessToken!,
        });
        Assert.False(active.IsError, active.Error);
        Assert.True(active.IsActive);

        var revoked = await oauth.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint!, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            Token = tokens.RefreshToken!, TokenTypeHint = "refresh_token",
        });
        Assert.False(revoked.IsError, revoked.Error);
        var refresh = await oauth.RefreshAsync(tokens.RefreshToken!);
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task AfterAPasswordChange_IntrospectionReportsTheOldAccessTokenInactive()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        var disco = await oauth.DiscoverAsync();

        var change = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);

        var introspection = await oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = disco.IntrospectionEndpoint!, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, Token = tokens.AccessToken!,
        });
        Assert.False(introspection.IsActive);
    }

    [Fact]
    public async Task UserInfo_ReturnsTheUser()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, scope: "openid email profile");
        var disco = await oauth.DiscoverAsync();

        var info = await oauth.Http.GetUserInfoAsync(new UserInfoRequest { Address = disco.UserInfoEndpoint, Token = tokens.AccessToken });

        Assert.False(info.IsError, info.Error);
        Assert.Equal(userId.ToString(), info.Json?.GetProperty("sub").GetString());
        Assert.Equal(email, info.Json?.GetProperty("email").GetString());
        Assert.Equal(TestData.TenantA.ToString(), info.Json?.GetProperty("tid").GetString());
    }

    [Fact]
    public async Task CodeFlow_PublicClientWithoutPkce_IsRejected()
    {
        var disco = await oauth.DiscoverAsync();
        var url = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(TestData.SpaClient, "code", "openid", TestData.SpaRedirectUri, state: "s");

        var response = await oauth.Http.GetAsync(url);

        // The error is shown to the person in the browser, with the OAuth error and what is missing.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", page);
        Assert.Contains("code_challenge", page);
    }

    [Fact]
    public async Task CodeFlow_WithAcrValuesTenant_SignsInThatTenantsUser()
    {
        // alice@acme.test in tenant B has a different password from tenant A's alice.
        var tokens = await oauth.AuthorizationCodeAsync("alice@acme.test", TestData.OtherStrongPassword, acrValues: $"tenant:{TestData.TenantB}");

        Assert.False(tokens.IsError, tokens.Error);
        Assert.Equal(TestData.TenantB.ToString(), new JsonWebToken(tokens.AccessToken).GetClaim("tid").Value);
        Assert.False(string.IsNullOrEmpty(tokens.IdentityToken));
    }

    [Fact]
    public async Task EndSession_SignsTheBrowserOut_AndTheNextAuthorizeAsksToSignInAgain()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        var tokens = await browser.AuthorizationCodeAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError, tokens.Error);
        var disco = await browser.DiscoverAsync();

        var endSession = await browser.Http.GetAsync(new RequestUrl(disco.EndSessionEndpoint!).CreateEndSessionUrl(
            idTokenHint: tokens.IdentityToken, postLogoutRedirectUri: "http://127.0.0.1/"));
        // A signed-in browser confirms on the sign-out page (POST + antiforgery), then returns to end-session.
        Assert.True(endSession.StatusCode == HttpStatusCode.Redirect, endSession.ToString());
        var confirmUrl = endSession.Headers.Location!.ToString();
        Assert.StartsWith("/Account/Logout", confirmUrl);
        var confirmed = await browser.PostFormAsync(confirmUrl, new Dictionary<string, string>());
        Assert.True(confirmed.StatusCode == HttpStatusCode.Redirect, await confirmed.Content.ReadAsStringAsync());
        var logout = await browser.Http.GetAsync(confirmed.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.StartsWith("http://127.0.0.1/", logout.Headers.Location!.ToString());

        var again = await browser.Http.GetAsync(new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(
            TestData.SpaClient, "code", "openid", TestData.SpaRedirectUri, state: "s", codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", codeChallengeMethod: "S256"));
        Assert.Contains("/Account/Login", again.Headers.Location!.ToString());
        // The session is over for the API too.
        var change = await ApiCall.V1ChangeAsync(browser.Http, tokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, change.Status);
    }
}
