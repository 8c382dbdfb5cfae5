using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Accounts;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Api.StepUp;

/// <summary>Seed 002 end to end: access token, step-up token from the token endpoint, PUT /api/users/me/password.</summary>
public sealed class StepUpChangePasswordTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    private static void AssertStepUpChallenge(ApiResponse response)
    {
        var challenge = response.Message.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_user_authentication\"", challenge);
        Assert.Contains("max_age=300", challenge);
        Assert.Contains("error_description=", challenge);
    }

    [Fact]
    public async Task StepUpToken_HasItsOwnTypeAndAudience_AndTheAccessTokensSubjectTenantAndSession()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var response = await oauth.StepUpAsync(access, TestData.StrongPassword);

        Assert.False(response.IsError, response.Error);
        Assert.Equal("urn:identityhub:params:oauth:token-type:step-up", response.Json?.GetProperty("issued_token_type").GetString());
        Assert.Equal(300, response.ExpiresIn);
        var stepUp = new JsonWebToken(response.AccessToken);
        var accessJwt = new JsonWebToken(access);
        Assert.Equal("step-up+jwt", stepUp.Typ);
        Assert.Equal(["urn:identityhub:step-up"], stepUp.Audiences);
        Assert.Equal(userId.ToString(), stepUp.Subject);
        Assert.Equal(accessJwt.GetClaim("tid").Value, stepUp.GetClaim("tid").Value);
        Assert.Equal(accessJwt.GetClaim("sid").Value, stepUp.GetClaim("sid").Value);
        Assert.Equal(["pwd"], stepUp.GetPayloadValue<string[]>("amr"));
        Assert.False(string.IsNullOrEmpty(stepUp.Id));
        Assert.Equal(300, (stepUp.ValidTo - stepUp.IssuedAt).TotalSeconds);
        Assert.True(stepUp.GetPayloadValue<long>("auth_time") >= accessJwt.GetPayloadValue<long>("auth_time"));
    }

    [Fact]
    public async Task TokenExchange_WithAStockClient_IssuesAStepUpToken_ThatChangesThePassword()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);
        var disco = await oauth.DiscoverAsync();

        var exchanged = await oauth.TokenExchangeStepUpAsync(access, TestData.StrongPassword);

        // RFC 8693 §2.2.1: the issued token type, and N_A because a step-up token is not an access token.
        Assert.False(exchanged.IsError, $"{exchanged.Error}: {exchanged.ErrorDescription}");
        Assert.Contains("urn:ietf:params:oauth:grant-type:token-exchange", disco.GrantTypesSupported);
        Assert.Equal("urn:identityhub:params:oauth:token-type:step-up", exchanged.IssuedTokenType);
        Assert.Equal("N_A", exchanged.TokenType);
        Assert.Equal(300, exchanged.ExpiresIn);
        var stepUp = new JsonWebToken(exchanged.AccessToken);
        Assert.Equal("step-up+jwt", stepUp.Typ);
        Assert.Equal(userId.ToString(), stepUp.Subject);
        var change = await ApiCall.StepUpChangeAsync(oauth.Http, access, exchanged.AccessToken, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.OK, change.Status);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
    }

    [Fact]
    public async Task TokenExchange_RefusesOtherTokenTypes_WrongPasswords_AndAnotherClientsToken()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);
        var disco = await oauth.DiscoverAsync();

        var asAccessToken = await oauth.Http.RequestTokenExchangeTokenAsync(new TokenExchangeTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, SubjectToken = access,
            SubjectTokenType = "urn:ietf:params:oauth:token-type:access_token", RequestedTokenType = "urn:ietf:params:oauth:token-type:access_token",
            Parameters = { { "password", TestData.StrongPassword } },
        });
        var wrongPassword = await oauth.TokenExchangeStepUpAsync(access, "Not-The-Password-1");
        var otherClient = await oauth.TokenExchangeStepUpAsync(access, TestData.StrongPassword, TestData.SpaClient, secret: null);
        var garbage = await oauth.TokenExchangeStepUpAsync("not-a-token", TestData.StrongPassword);

        Assert.Equal("invalid_request", asAccessToken.Error);
        Assert.Equal("invalid_grant", wrongPassword.Error);
        Assert.Equal("invalid_grant", otherClient.Error);
        Assert.Equal("invalid_grant", garbage.Error);
    }

    [Fact]
    public async Task AClientNotConfiguredForStepUp_GetsNoStepUpToken_InEitherForm()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, TestData.NoStepUpClient, TestData.CliSecret, "openid account");
        Assert.False(tokens.IsError, tokens.Error);

        var exchange = await oauth.TokenExchangeStepUpAsync(tokens.AccessToken!, TestData.StrongPassword, TestData.NoStepUpClient, TestData.CliSecret);
        var grant = await oauth.StepUpAsync(tokens.AccessToken!, TestData.StrongPassword, TestData.NoStepUpClient, TestData.CliSecret);

        Assert.Equal("unauthorized_client", exchange.Error);
        Assert.Equal("unauthorized_client", grant.Error);
        // The access token itself still works at the account API: only the step-up oracle is closed.
        var change = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, change.Status);
    }

    [Fact]
    public async Task AStepUpToken_WorksOnlyWithAnAccessTokenOfItsOwnClient_EvenInTheSameBrowserSession()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        // One browser, one sign-in session, two clients: both access tokens carry the same sid.
        var browser = new OAuthClient(app);
        var spa = await browser.AuthorizationCodeAsync(email, TestData.StrongPassword);
        var bound = await browser.AuthorizationCodeAsync(email, TestData.StrongPassword, scope: "openid account", clientId: TestData.BoundSpaClient);
        Assert.Equal(new JsonWebToken(spa.AccessToken).GetClaim("sid").Value, new JsonWebToken(bound.AccessToken).GetClaim("sid").Value);
        var stepUp = await browser.TokenExchangeStepUpAsync(spa.AccessToken!, TestData.StrongPassword, TestData.SpaClient, secret: null);
        Assert.False(stepUp.IsError, stepUp.Error);

        var withOtherClient = await ApiCall.StepUpChangeAsync(browser.Http, bound.AccessToken, stepUp.AccessToken, TestData.OtherStrongPassword);
        var withOwnClient = await ApiCall.StepUpChangeAsync(browser.Http, spa.AccessToken, stepUp.AccessToken, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, withOtherClient.Status);
        Assert.Equal("INVALID_CREDENTIALS", withOtherClient.Code);
        Assert.Equal(HttpStatusCode.OK, withOwnClient.Status);
    }

    [Fact]
    public async Task AStepUpTokenFromAnotherIssuer_IsInvalid_EvenWithOurSignature()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);
        var sid = new JsonWebToken(access).GetClaim("sid").Value;
        var foreign = await app.WithServicesAsync(async services =>
        {
            var user = await services.GetRequiredService<UserManager<HubUser>>().FindByIdAsync(userId.ToString());
            return services.GetRequiredService<IdentityHub.StepUp.StepUpTokenService>().Issue(user!, sid, TestData.CliClient, "https://evil.example.test/").Token;
        });

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, foreign, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("STEP_UP_TOKEN_INVALID", response.Code);
    }

    [Fact]
    public async Task ChangePassword_WithStepUp_Returns200_WithTheUser_AndOnlyTheNewPasswordWorks()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword, locale: "fr-CA");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(userId.ToString(), response.Body.GetProperty("id").GetString());
        Assert.Equal(email, response.Body.GetProperty("email").GetString());
        Assert.Equal(TestData.TenantA.ToString(), response.Body.GetProperty("tenant_id").GetString());
        Assert.True(response.Body.GetProperty("email_verified").GetBoolean());
        Assert.True(response.Body.TryGetProperty("locale", out _));
        Assert.True(response.Body.GetProperty("updated_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        var raw = response.Body.GetRawText();
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", raw, StringComparison.OrdinalIgnoreCase);
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
        var consumed = await app.QueryAsync(db => db.ConsumedStepUpTokens.CountAsync(c => c.UserId == userId));
        Assert.Equal(1, consumed);
    }

    [Fact]
    public async Task ReplayedStepUpToken_IsRefused()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        // Two submissions of the same token at once (a double click, or an attacker racing the user).
        var responses = await Task.WhenAll(
            ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword),
            ApiCall.StepUpChangeAsync(app.CreateBrowserlessClient(), access, stepUp, TestData.ThirdStrongPassword));
        var later = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.StrongPassword);

        Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        var refused = Assert.Single(responses, r => r.Status != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains(refused.Code, new[] { "STEP_UP_TOKEN_INVALID", "ACCESS_TOKEN_INVALID" });
        Assert.Equal(HttpStatusCode.Unauthorized, later.Status);
        var winner = responses[0].Status == HttpStatusCode.OK ? TestData.OtherStrongPassword : TestData.ThirdStrongPassword;
        Assert.False((await oauth.PasswordGrantAsync(email, winner)).IsError);
    }

    [Fact]
    public async Task MissingStepUpToken_Returns401_STEP_UP_TOKEN_MISSING_WithRfc9470Challenge()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, null, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("STEP_UP_TOKEN_MISSING", response.Code);
        Assert.False(string.IsNullOrEmpty(response.Body.GetProperty("message").GetString()));
        AssertStepUpChallenge(response);
    }

    [Fact]
    public async Task ExpiredStepUpToken_Returns401_STEP_UP_TOKEN_EXPIRED()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        app.Clock.Advance(TimeSpan.FromMinutes(6)); // step-up lives 5 minutes, the access token 15
        try
        {
            var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);

            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Equal("STEP_UP_TOKEN_EXPIRED", response.Code);
            AssertStepUpChallenge(response);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-6));
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIiwidHlwIjoic3RlcC11cCtqd3QifQ.eyJzdWIiOiJ4In0.")]
    public async Task UnreadableStepUpToken_Returns401_STEP_UP_TOKEN_INVALID(string stepUp)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("STEP_UP_TOKEN_INVALID", response.Code);
        AssertStepUpChallenge(response);
    }

    [Fact]
    public async Task AccessTokenPresentedAsStepUpToken_Returns401_STEP_UP_TOKEN_INVALID()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, access, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("STEP_UP_TOKEN_INVALID", response.Code);
    }

    [Fact]
    public async Task StepUpTokenPresentedAsAccessToken_Returns401_ACCESS_TOKEN_INVALID()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (_, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, stepUp, stepUp, TestData.OtherStrongPassword);
        var v1 = await ApiCall.V1ChangeAsync(oauth.Http, stepUp, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("ACCESS_TOKEN_INVALID", response.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, v1.Status);
    }

    [Fact]
    public async Task StepUpTokenOfAnotherUser_Returns401_INVALID_CREDENTIALS()
    {
        var (_, victim) = await app.CreateUserAsync(TestData.TenantA);
        var (_, attacker) = await app.CreateUserAsync(TestData.TenantA);
        var victimAccess = await oauth.AccessTokenAsync(victim);
        var (_, attackerStepUp) = await oauth.AccessAndStepUpAsync(attacker);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, victimAccess, attackerStepUp, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("INVALID_CREDENTIALS", response.Code);
        AssertStepUpChallenge(response);
        Assert.False((await oauth.PasswordGrantAsync(victim, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task StepUpTokenOfAnotherSessionOfTheSameUser_Returns401_INVALID_CREDENTIALS()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var sessionOne = await oauth.AccessTokenAsync(email);
        var (_, stepUpOfSessionTwo) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, sessionOne, stepUpOfSessionTwo, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("INVALID_CREDENTIALS", response.Code);
    }

    [Fact]
    public async Task AccessTokenProblems_Return401_WithTheSeedsCodes()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var missing = await ApiCall.StepUpChangeAsync(oauth.Http, null, stepUp, TestData.OtherStrongPassword);
        var garbage = await ApiCall.StepUpChangeAsync(oauth.Http, "garbage", stepUp, TestData.OtherStrongPassword);
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        ApiResponse expired;
        try
        {
            expired = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-16));
        }

        Assert.Equal(("AUTHENTICATION_REQUIRED", HttpStatusCode.Unauthorized), (missing.Code, missing.Status));
        Assert.Equal(("ACCESS_TOKEN_INVALID", HttpStatusCode.Unauthorized), (garbage.Code, garbage.Status));
        Assert.Equal(("ACCESS_TOKEN_EXPIRED", HttpStatusCode.Unauthorized), (expired.Code, expired.Status));
    }

    [Fact]
    public async Task WeakPassword_Returns400_VALIDATION_ERROR_ListingEveryRule()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, "short");
        var same = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.StrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("VALIDATION_ERROR", response.Code);
        var violations = response.Body.GetProperty("violations").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Equal(["min_length", "missing_uppercase", "missing_digit", "missing_special"], violations);
        // The field is named as seed 002 names it: the request's "password".
        Assert.Equal("password", response.Body.GetProperty("field").GetString());
        Assert.Equal("VALIDATION_ERROR", same.Code);
        Assert.Contains("same_as_current", same.Body.GetProperty("violations").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("{", "malformed_json")]
    [InlineData("{}", "required")]
    [InlineData("{\"password\": 12}", "must_be_string")]
    public async Task BadBody_Returns400_VALIDATION_ERROR(string body, string reason)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Put, "/api/users/me/password", access, body,
            new Dictionary<string, string> { ["X-Step-Up-Token"] = stepUp });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("VALIDATION_ERROR", response.Code);
        Assert.Contains(reason, response.Body.GetProperty("violations").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("xx-notreal")]
    [InlineData("en US")]
    [InlineData("../etc")]
    public async Task InvalidLocale_Returns400_VALIDATION_ERROR(string locale)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword, locale);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("VALIDATION_ERROR", response.Code);
        Assert.Equal("locale", response.Body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task UserWithoutPassword_Returns400_NO_PASSWORD_PROVIDER()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        await SetPasswordHashAsync(userId, null);

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("NO_PASSWORD_PROVIDER", response.Code);
    }

    [Fact]
    public async Task DeletedUser_Returns404_USER_NOT_FOUND()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        await app.WithServicesAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<HubUser>>();
            return await users.DeleteAsync((await users.FindByIdAsync(userId.ToString()))!);
        });

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("USER_NOT_FOUND", response.Code);
    }

    [Fact]
    public async Task CorruptStoredHash_Returns500_INVALID_PRINCIPAL_DOCUMENT()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
        await SetPasswordHashAsync(userId, "%%% not a hash %%%");

        var response = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("INVALID_PRINCIPAL_DOCUMENT", response.Code);
        Assert.Equal("%%% not a hash %%%", await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public async Task StepUpGrant_WrongPassword_IsInvalidGrant_AndCountsTowardLockout()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var access = await oauth.AccessTokenAsync(email);

        for (var i = 0; i < 5; i++)
        {
            var failed = await oauth.StepUpAsync(access, $"Wrong-Password-{i}!");
            Assert.Equal("invalid_grant", failed.Error);
        }
        var right = await oauth.StepUpAsync(access, TestData.StrongPassword);

        Assert.Equal("invalid_grant", right.Error);
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task StepUpGrant_ForAnotherClientsAccessToken_IsInvalidGrant()
    {
        var tenantB = await oauth.PasswordGrantAsync("alice@acme.test", TestData.OtherStrongPassword, TestData.TenantBClient, TestData.TenantBSecret);
        Assert.False(tenantB.IsError);

        var response = await oauth.StepUpAsync(tenantB.AccessToken!, TestData.OtherStrongPassword);

        Assert.Equal("invalid_grant", response.Error);
    }

    private Task<IdentityResult> SetPasswordHashAsync(Guid userId, string? hash) => app.WithServicesAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<HubUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        user!.PasswordHash = hash;
        return await users.UpdateAsync(user);
    });
}
