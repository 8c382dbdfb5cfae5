using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Duende.IdentityModel.Client;
using Microsoft.EntityFrameworkCore;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// What an app can read without a second call: the claims each scope releases, the same in the ID token, the access
/// token and the userinfo answer, and discovery listing exactly those.
/// </summary>
public sealed class ClaimsTests(ClaimsApplication app) : IClassFixture<ClaimsApplication>
{
    /// <summary>Claims about the token itself (JWT and OAuth mechanics, OpenIddict's private <c>oi_</c> claims), not about the user.</summary>
    private static readonly HashSet<string> TokenMechanics = ["iss", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "azp", "nonce", "at_hash", "c_hash"];

    private static bool IsMechanics(string claim) => TokenMechanics.Contains(claim) || claim.StartsWith("oi_", StringComparison.Ordinal);

    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task Discovery_ListsExactlyTheClaimsIssued_ForAUserWithEveryScope()
    {
        var tokens = await oauth.AuthorizationCodeAsync("alice@acme.test", TestData.StrongPassword, scope: ClaimsApplication.AllScopes);
        Assert.False(tokens.IsError, tokens.Error);
        var userinfo = await UserInfoAsync(tokens.AccessToken!);
        var issued = new JsonWebToken(tokens.IdentityToken).Claims.Select(c => c.Type)
            .Concat(new JsonWebToken(tokens.AccessToken).Claims.Select(c => c.Type))
            .Concat(userinfo.EnumerateObject().Select(p => p.Name))
            .ToHashSet(StringComparer.Ordinal);
        var disco = await oauth.DiscoverAsync();
        var supported = disco.ClaimsSupported.ToHashSet(StringComparer.Ordinal);

        Assert.Equal(
            issued.Where(c => !IsMechanics(c)).Order(StringComparer.Ordinal),
            supported.Where(c => !IsMechanics(c)).Order(StringComparer.Ordinal));
        // Whatever mechanics discovery lists are issued too.
        Assert.Subset(issued, supported.Where(IsMechanics).ToHashSet());
        Assert.Superset(new HashSet<string> { "sub", "tid", "sid", "auth_time", "amr", "name", "locale", "updated_at", "email", "email_verified", "role" }, supported);
    }

    [Fact]
    public async Task Discovery_AdvertisesTheTenantAcrValues_AndOnlyThePromptValuesThatWork()
    {
        var disco = await oauth.DiscoverAsync();

        Assert.Equal(["login", "none"], disco.TryGetStringArray("prompt_values_supported").Order(StringComparer.Ordinal));
        Assert.Equal([$"tenant:{TestData.TenantA}", $"tenant:{TestData.TenantB}"],
            disco.TryGetStringArray("acr_values_supported").Order(StringComparer.Ordinal));
        Assert.Contains("roles", disco.ScopesSupported);
        Assert.Contains(ClaimsApplication.StaffScope, disco.ScopesSupported);
    }

    [Theory]
    [InlineData("openid", new string[0])]
    [InlineData("openid profile", new[] { "name", "locale", "updated_at" })]
    [InlineData("openid email", new[] { "email", "email_verified" })]
    [InlineData("openid roles", new[] { "role" })]
    [InlineData("openid staff", new[] { "role", "locale" })]
    public async Task EachScope_ReleasesItsClaims_AndNoOthers_InBothTokensAndUserinfo(string scope, string[] expected)
    {
        var tokens = await oauth.PasswordGrantAsync("alice@acme.test", TestData.StrongPassword, scope: scope);
        Assert.False(tokens.IsError, tokens.Error);
        string[] userClaims = ["name", "locale", "updated_at", "email", "email_verified", "role"];

        var id = new JsonWebToken(tokens.IdentityToken);
        var access = new JsonWebToken(tokens.AccessToken);
        var userinfo = await UserInfoAsync(tokens.AccessToken!);

        Assert.Equal(expected.Order(), userClaims.Where(c => id.TryGetPayloadValue<object>(c, out _)).Order());
        Assert.Equal(expected.Order(), userClaims.Where(c => access.TryGetPayloadValue<object>(c, out _)).Order());
        Assert.Equal(expected.Order(), userClaims.Where(c => userinfo.TryGetProperty(c, out _)).Order());
        // Every token and answer names the user and the tenant.
        Assert.Equal(id.Subject, userinfo.GetProperty("sub").GetString());
        Assert.Equal(TestData.TenantA.ToString(), userinfo.GetProperty("tid").GetString());
    }

    [Fact]
    public async Task AllScopes_GiveTheSameValues_InTheIdTokenTheAccessTokenAndUserinfo()
    {
        var tokens = await oauth.PasswordGrantAsync("alice@acme.test", TestData.StrongPassword, scope: ClaimsApplication.AllScopes);
        var id = new JsonWebToken(tokens.IdentityToken);
        var access = new JsonWebToken(tokens.AccessToken);
        var userinfo = await UserInfoAsync(tokens.AccessToken!);

        foreach (var token in new[] { id, access })
        {
            Assert.Equal(["admin", "auditor"], token.GetPayloadValue<string[]>("role"));
            Assert.Equal("Alice", token.GetPayloadValue<string>("name"));
            Assert.Equal("en-GB", token.GetPayloadValue<string>("locale"));
            Assert.Equal("alice@acme.test", token.GetPayloadValue<string>("email"));
            Assert.True(token.GetPayloadValue<bool>("email_verified"));
            Assert.Equal(userinfo.GetProperty("updated_at").GetInt64(), token.GetPayloadValue<long>("updated_at"));
        }
        Assert.Equal(["admin", "auditor"], userinfo.GetProperty("role").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Alice", userinfo.GetProperty("name").GetString());
        Assert.Equal("en-GB", userinfo.GetProperty("locale").GetString());
        Assert.Equal("alice@acme.test", userinfo.GetProperty("email").GetString());
        Assert.True(userinfo.GetProperty("email_verified").GetBoolean());

        // A refreshed token carries the same claims.
        var refreshed = await oauth.RefreshAsync(tokens.RefreshToken!);
        Assert.Equal(["admin", "auditor"], new JsonWebToken(refreshed.AccessToken).GetPayloadValue<string[]>("role"));
    }

    [Fact]
    public async Task Roles_AreTheUsersOwn_NeverAnotherTenantsNamesake()
    {
        var b = await oauth.PasswordGrantAsync(ClaimsApplication.AliceB, TestData.OtherStrongPassword, TestData.TenantBClient, TestData.TenantBSecret, "openid roles");
        var bob = await oauth.PasswordGrantAsync("bob@acme.test", TestData.StrongPassword, scope: "openid roles profile");
        Assert.False(b.IsError, b.Error);

        // Tenant B's alice has one role; a role of tenant A's alice (same email) never reaches her tokens.
        Assert.Equal("globex-viewer", new JsonWebToken(b.AccessToken).GetPayloadValue<string>("role"));
        Assert.Equal(["globex-viewer"], (await UserInfoAsync(b.AccessToken!)).GetProperty("role").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(TestData.TenantB.ToString(), new JsonWebToken(b.IdentityToken).GetClaim("tid").Value);
        // A user without roles gets no role claim (not an empty one), and no locale without one.
        Assert.False(new JsonWebToken(bob.IdentityToken).TryGetPayloadValue<object>("role", out _));
        Assert.False((await UserInfoAsync(bob.AccessToken!)).TryGetProperty("role", out _));
        Assert.False((await UserInfoAsync(bob.AccessToken!)).TryGetProperty("locale", out _));
    }

    [Fact]
    public async Task SeedingAgain_KeepsRolesOnce()
    {
        // The seed worker ran at start; applying the whole seed again (a restart after the seed changed: without its
        // fingerprint, an unchanged seed would be skipped) adds nothing twice and fails on nothing.
        await app.QueryAsync(db => db.AppliedSeeds.ExecuteDeleteAsync());
        await app.WithServicesAsync(async services =>
        {
            var worker = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IdentityHub.Web.Seeding.SeedWorker>().Single();
            await worker.StartingAsync(CancellationToken.None);
            await worker.StartAsync(CancellationToken.None);
            return 0;
        });
        var tokens = await oauth.PasswordGrantAsync("alice@acme.test", TestData.StrongPassword, scope: "openid roles");

        Assert.Equal(["admin", "auditor"], new JsonWebToken(tokens.AccessToken).GetPayloadValue<string[]>("role"));
        Assert.Equal(1, await app.QueryAsync(db => db.AppliedSeeds.CountAsync())); // applied in full, fingerprint written again
    }

    private async Task<JsonElement> UserInfoAsync(string accessToken)
    {
        var response = await oauth.Http.GetUserInfoAsync(new UserInfoRequest { Address = (await oauth.DiscoverAsync()).UserInfoEndpoint, Token = accessToken });
        Assert.False(response.IsError, response.Error);
        return JsonDocument.Parse(response.Raw!).RootElement.Clone();
    }
}
