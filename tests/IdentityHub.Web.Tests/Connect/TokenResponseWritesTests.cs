using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// What a token response stores: one redemption of the presented refresh token even when it is raced (RedeemOnce),
/// no entry for identity tokens (SkipUnrevokedTokenEntries, issue 14), and revocation by a password change.
/// </summary>
public sealed class TokenResponseWritesTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task ARefreshTokenRacedEightTimes_HasOneWinner_AndTheLosersStoreNothing()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var first = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(first.IsError, first.Error);
        var subject = new JsonWebToken(first.AccessToken).Subject;
        var rowsBefore = await TokenRowsAsync(subject);

        var raced = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => new OAuthClient(app).RefreshAsync(first.RefreshToken!)));

        var winners = raced.Where(r => !r.IsError).ToList();
        Assert.Single(winners);
        Assert.All(raced.Where(r => r.IsError), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.HttpStatusCode);
            Assert.Equal("invalid_grant", r.Error);
        });
        // The winner's response added its refresh and access token entries; the seven refused ones added none. (A reuse
        // seen after the winner's commit may also revoke the winner's tokens, OpenIddict's replay detection: not asserted.)
        Assert.Equal(rowsBefore + 2, await TokenRowsAsync(subject));
        Assert.Equal("invalid_grant", (await oauth.RefreshAsync(first.RefreshToken!)).Error);
    }

    [Fact]
    public async Task ACodeRacedEightTimes_HasOneWinner_AndTheLosersStoreNothing()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var browser = new OAuthClient(app);
        var (code, verifier) = await browser.CodeAsync(email, TestData.StrongPassword);
        var subject = userId.ToString();
        var rowsBefore = await TokenRowsAsync(subject);

        var raced = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => new OAuthClient(app).ExchangeCodeAsync(code, verifier)));

        var winner = Assert.Single(raced, r => !r.IsError);
        Assert.False(string.IsNullOrEmpty(winner.RefreshToken));
        Assert.All(raced.Where(r => r.IsError), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.HttpStatusCode);
            Assert.Equal("invalid_grant", r.Error);
        });
        Assert.Equal(rowsBefore + 2, await TokenRowsAsync(subject));
        Assert.Equal("invalid_grant", (await browser.ExchangeCodeAsync(code, verifier)).Error);
    }

    [Fact]
    public async Task ACodeExchange_StoresItsRefreshAndAccessTokens_ButNoIdentityToken()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);

        var tokens = await oauth.AuthorizationCodeAsync(email, TestData.StrongPassword);

        Assert.False(tokens.IsError, tokens.Error);
        Assert.False(string.IsNullOrEmpty(tokens.IdentityToken));
        var types = await app.QueryAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == new JsonWebToken(tokens.AccessToken).Subject).Select(t => t.Type!).ToListAsync());
        Assert.Contains(types, t => t.Contains("refresh_token", StringComparison.Ordinal));
        Assert.Contains(types, t => t.Contains("access_token", StringComparison.Ordinal));
        Assert.DoesNotContain(types, t => t.Contains("id_token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APasswordChange_EndsTheTokensOfARefresh()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        var refreshed = await oauth.RefreshAsync(tokens.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);

        var change = await ApiCall.V1ChangeAsync(oauth.Http, refreshed.AccessToken!, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.NoContent, change.Status);
        Assert.Equal("invalid_grant", (await oauth.RefreshAsync(refreshed.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiCall.V1ChangeAsync(oauth.Http, refreshed.AccessToken!, TestData.TenantA,
            TestData.OtherStrongPassword, TestData.ThirdStrongPassword)).Status);
    }

    private Task<int> TokenRowsAsync(string subject) =>
        app.QueryAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Subject == subject));
}
