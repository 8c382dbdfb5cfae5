using System.Net;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Api.V1;

/// <summary>Seed 000 end to end: real tokens from the real token endpoint, then POST /v1/users/me/password.</summary>
public sealed class V1ChangePasswordTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task ChangePassword_AfterAuthorizationCodeFlowWithPkce_Returns204_AndOnlyTheNewPasswordWorks()
    {
        // Arrange
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.AuthorizationCodeAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError, tokens.Error);
        var stampBefore = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());

        // Act
        var response = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.NotEqual(stampBefore, user.SecurityStamp);
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError, "the old password still works at the token endpoint");
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError, "the new password does not work at the token endpoint");

        var page = new OAuthClient(app);
        var oldSignIn = await page.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA);
        Assert.Equal(HttpStatusCode.OK, oldSignIn.StatusCode);
        Assert.Contains("role=\"alert\"", await oldSignIn.Content.ReadAsStringAsync());
        var newSignIn = await page.SignInAsync("/Account/Login", email, TestData.OtherStrongPassword, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Redirect, newSignIn.StatusCode);

        // Other sessions end: the previous refresh token and access token are refused.
        var refreshed = await oauth.RefreshAsync(tokens.RefreshToken!, TestData.SpaClient, null);
        Assert.True(refreshed.IsError);
        Assert.Equal("invalid_grant", refreshed.Error);
        var replay = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, TestData.TenantA, TestData.OtherStrongPassword, TestData.ThirdStrongPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.Status);
        Assert.Equal("unauthenticated", replay.Code);
    }

    [Fact]
    public async Task ChangePassword_Success_RehashesWithConfiguredIterations_AndRecordsAuditWithoutPassword()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var hashBefore = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        var hash = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());
        Assert.NotEqual(hashBefore, hash);
        var bytes = Convert.FromBase64String(hash!);
        Assert.Equal(0x01, bytes[0]); // Identity v3 format: PBKDF2
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1))); // HMAC-SHA512
        Assert.Equal(1000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5))); // the configured count

        var audit = await app.QueryAsync(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.UserId == userId && a.Type == AuditEventTypes.PasswordChanged).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(TestData.TenantA, entry.TenantId);
        Assert.Equal(TestData.CliClient, entry.ClientId);
        Assert.Equal("127.0.0.1", entry.IpAddress);
        Assert.NotNull(entry.SessionId);

        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(TestData.StrongPassword) || line.Contains(TestData.OtherStrongPassword));
    }

    [Fact]
    public async Task ChangePassword_OneSlowHashIsBothTheStoredHashAndTheHistoryEntry_IdentityVerifiesIt_AndReuseIsStillRefused()
    {
        // Arrange: two accounts that pick the same new password
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var (otherId, otherEmail) = await app.CreateUserAsync(TestData.TenantA);

        // Act
        var changed = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        var otherChanged = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(otherEmail), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        // Assert: Identity's own hasher (v3, the configured count) verifies the stored hash without asking for a rehash
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);
        Assert.Equal(HttpStatusCode.NoContent, otherChanged.Status);
        var hash = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash!).SingleAsync());
        var stock = new PasswordHasher<HubUser>(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3, IterationCount = 1000 }));
        Assert.Equal(PasswordVerificationResult.Success, stock.VerifyHashedPassword(new HubUser(), hash, TestData.OtherStrongPassword));
        Assert.Equal(PasswordVerificationResult.Failed, stock.VerifyHashedPassword(new HubUser(), hash, TestData.StrongPassword));
        // ...its subkey is the newest history entry (one slow hash for both), and the salt is the account's own
        var bytes = Convert.FromBase64String(hash);
        var saltLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(9));
        Assert.True(saltLength >= 16, $"salt of {saltLength} bytes");
        var newest = await app.QueryAsync(db => db.PasswordHistory.Where(e => e.UserId == userId).OrderByDescending(e => e.Id).Select(e => e.Fingerprint).FirstAsync());
        Assert.Equal(newest, Convert.ToBase64String(bytes.AsSpan(13 + saltLength)));
        var otherHash = await app.QueryAsync(db => db.Users.Where(u => u.Id == otherId).Select(u => u.PasswordHash!).SingleAsync());
        Assert.NotEqual(hash, otherHash);
        Assert.NotEqual(bytes.AsSpan(13, saltLength).ToArray(), Convert.FromBase64String(otherHash).AsSpan(13, saltLength).ToArray());

        // ...the new password signs in, and both the current and the previous password are refused as new ones
        var token = await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword);
        var previous = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.OtherStrongPassword, TestData.StrongPassword);
        Assert.Equal(HttpStatusCode.BadRequest, previous.Status);
        Assert.Equal(["reused_password"], previous.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(hash, await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash!).SingleAsync()));
        var next = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.OtherStrongPassword, TestData.ThirdStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, next.Status);
        var back = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.ThirdStrongPassword), TestData.TenantA, TestData.ThirdStrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(["reused_password"], back.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ChangePassword_UnicodePassword_IsNormalised_SoAnyNormalisationFormSignsIn()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var composed = "Pässwörd-Ünïcode-9".Normalize(System.Text.NormalizationForm.FormC);
        var decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, composed);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        Assert.False((await oauth.PasswordGrantAsync(email, decomposed)).IsError, "the decomposed form must sign in");
        var page = await new OAuthClient(app).SignInAsync("/Account/Login", email, decomposed, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_Returns400_AndKeepsHash()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var hashBefore = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, "Not-The-Password-1", TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_current_password", response.Code);
        Assert.False(string.IsNullOrEmpty(response.Body.GetProperty("message").GetString()));
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Equal(hashBefore, user.PasswordHash);
        Assert.Equal(1, user.AccessFailedCount);
    }

    [Fact]
    public async Task ChangePassword_WeakPassword_Returns400_WithEveryViolatedRule()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, "short");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("weak_password", response.Code);
        var rules = response.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("min_length", rules);
        Assert.Contains("missing_uppercase", rules);
        Assert.Contains("missing_digit", rules);
        Assert.Contains("missing_special", rules);
        Assert.DoesNotContain("missing_lowercase", rules);
    }

    [Fact]
    public async Task ChangePassword_SameAsCurrent_Returns400_weak_password_same_as_current()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.StrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("weak_password", response.Code);
        Assert.Contains("same_as_current", response.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ChangePassword_TenantHeaderOfAnotherTenant_Returns403_tenant_mismatch()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantB, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("tenant_mismatch", response.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("2489e9ad2ee28e008ec932d5f69181c0")]
    public async Task ChangePassword_MissingOrMalformedTenantHeader_Returns400_invalid_request(string? header)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var headers = header is null ? null : new Dictionary<string, string> { ["X-Tenant-ID"] = header };

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password", token,
            $"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{TestData.OtherStrongPassword}\"}}", headers);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Code);
        Assert.Equal("X-Tenant-ID", response.Body.GetProperty("details").GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("{", "malformed_json")]
    [InlineData("[]", "not_an_object")]
    [InlineData("{}", "required")]
    [InlineData("{\"current_password\": \"Correct-Horse-Battery-9\"}", "required")]
    [InlineData("{\"current_password\": \"Correct-Horse-Battery-9\", \"new_password\": 42}", "must_be_string")]
    [InlineData("{\"current_password\": true, \"new_password\": \"Tangerine!Ocean-Lamp-42\"}", "must_be_string")]
    [InlineData("{\"current_password\": \"Correct-Horse-Battery-9\", \"new_password\": null}", "required")]
    public async Task ChangePassword_BadBody_Returns400_invalid_request_AndChangesNothing(string body, string reason)
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var hashBefore = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password", token, body,
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Code);
        Assert.Equal(reason, response.Body.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(hashBefore, await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public async Task ChangePassword_HugeBody_Returns400_invalid_request_too_large()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var huge = $"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{new string('A', 2_000_000)}\"}}";

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password", token, huge,
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Code);
        Assert.Equal("too_large", response.Body.GetProperty("details").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ChangePassword_UserWithoutLocalPassword_Returns403_not_local_user()
    {
        // An account that signed in with a password and was then converted to external login only.
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        await app.WithServicesAsync(async services =>
        {
            var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<IdentityHub.Accounts.HubUser>>();
            var user = await users.FindByIdAsync(userId.ToString());
            user!.PasswordHash = null;
            return await users.UpdateAsync(user);
        });

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("not_local_user", response.Code);
    }

    [Fact]
    public async Task ChangePassword_RepeatedWrongCurrentPassword_LocksTheAccount_Returns429()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, $"Wrong-Password-{i}!", TestData.OtherStrongPassword)).Status);
        }
        var withRightPassword = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, (HttpStatusCode)429], statuses);
        Assert.Equal((HttpStatusCode)429, withRightPassword.Status);
        Assert.Equal("too_many_attempts", withRightPassword.Code);
        Assert.NotNull(withRightPassword.Header("Retry-After"));
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);
        // The lockout is shared with sign-in: the right password is refused at the token endpoint too.
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task ChangePassword_TwoConcurrentChanges_OneWins_NoServerError_NoLostUpdate()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var first = ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);
        var second = ApiCall.V1ChangeAsync(app.CreateBrowserlessClient(), token, TestData.TenantA, TestData.StrongPassword, TestData.ThirdStrongPassword);
        var responses = await Task.WhenAll(first, second);

        Assert.Single(responses, r => r.Status == HttpStatusCode.NoContent);
        var loser = Assert.Single(responses, r => r.Status != HttpStatusCode.NoContent);
        Assert.Contains(loser.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Contains(loser.Code, new[] { "invalid_current_password", "unauthenticated" });
        var winner = responses[0].Status == HttpStatusCode.NoContent ? TestData.OtherStrongPassword : TestData.ThirdStrongPassword;
        var loserPassword = winner == TestData.OtherStrongPassword ? TestData.ThirdStrongPassword : TestData.OtherStrongPassword;
        Assert.False((await oauth.PasswordGrantAsync(email, winner)).IsError);
        Assert.True((await oauth.PasswordGrantAsync(email, loserPassword)).IsError);
    }

    [Fact]
    public async Task ChangePassword_SameEmailInTwoTenants_ChangesOnlyTheCallersAccount()
    {
        // alice@acme.test exists in tenant A and in tenant B with different passwords.
        var tenantB = await oauth.PasswordGrantAsync("alice@acme.test", TestData.OtherStrongPassword, TestData.TenantBClient, TestData.TenantBSecret);
        Assert.False(tenantB.IsError, tenantB.Error);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, tenantB.AccessToken, TestData.TenantB, TestData.OtherStrongPassword, TestData.ThirdStrongPassword);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        Assert.False((await oauth.PasswordGrantAsync("alice@acme.test", TestData.ThirdStrongPassword, TestData.TenantBClient, TestData.TenantBSecret)).IsError);
        Assert.False((await oauth.PasswordGrantAsync("alice@acme.test", TestData.StrongPassword)).IsError, "tenant A's alice must be untouched");
    }
}
