using System.Net;
using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Api.Envelope;

/// <summary>Seed 004 end to end; bodies asserted field by field against the seed's examples.</summary>
public sealed class EnvelopeChangePasswordTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    private static List<(string Key, string Value, string Message)> Errors(ApiResponse response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(400, response.Body.GetProperty("code").GetInt32());
        Assert.Equal("validation failed", response.Body.GetProperty("message").GetString());
        var data = response.Body.GetProperty("data");
        Assert.Equal("validation_error", data.GetProperty("type").GetString());
        return data.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("key").GetString()!, e.GetProperty("value").GetString()!, e.GetProperty("message").GetString()!))
            .ToList();
    }

    private static void AssertEnvelope(ApiResponse response, int code, string message)
    {
        Assert.Equal(code, (int)response.Status);
        Assert.Equal(code, response.Body.GetProperty("code").GetInt32());
        Assert.Equal(message, response.Body.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Object, response.Body.GetProperty("data").ValueKind);
        Assert.Empty(response.Body.GetProperty("data").EnumerateObject());
        Assert.Equal(3, response.Body.EnumerateObject().Count());
    }

    [Fact]
    public async Task ChangePassword_Success_Returns200_ExactlyTheSeedsBody()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.EnvelopeChangeAsync(oauth.Http, token, TestData.StrongPassword, "MyNewSecureP4ssw0rd!");

        AssertEnvelope(response, 200, "password changed successfully");
        Assert.False((await oauth.PasswordGrantAsync(email, "MyNewSecureP4ssw0rd!")).IsError);
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentAndWeakNew_Returns400_ListingEveryProblem_LikeTheSeedExample()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var hashBefore = await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync());

        var response = await ApiCall.EnvelopeChangeAsync(oauth.Http, token, "MyCurrentP4ssw0rd!", "short9!");

        var errors = Errors(response);
        Assert.Equal(("current_password", "", "incorrect_password"), errors[0]);
        Assert.Contains(("new_password", "", "min_length"), errors);
        Assert.Contains(("new_password", "", "missing_uppercase"), errors);
        Assert.All(errors, e => Assert.Equal("", e.Value));
        Assert.Equal(hashBefore, await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Theory]
    [InlineData("{}", "current_password:required", "new_password:required")]
    [InlineData("{\"new_password\": \"MyNewSecureP4ssw0rd!\"}", "current_password:required")]
    [InlineData("{\"current_password\": \"Correct-Horse-Battery-9\", \"new_password\": 5}", "new_password:must_be_string")]
    [InlineData("{\"current_password\": \"\", \"new_password\": \"MyNewSecureP4ssw0rd!\"}", "current_password:required")]
    [InlineData("not json", "current_password:malformed_json", "new_password:malformed_json")]
    public async Task ChangePassword_BadBody_Returns400_validation_error(string body, params string[] expected)
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/api/me/change-password", token, body);

        Assert.Equal(expected, Errors(response).Select(e => $"{e.Key}:{e.Message}"));
    }

    [Fact]
    public async Task ChangePassword_BadTokens_Return401_ExactlyTheSeedsBody()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";

        foreach (var bad in new[] { null, "malformed", tampered })
        {
            AssertEnvelope(await ApiCall.EnvelopeChangeAsync(oauth.Http, bad, TestData.StrongPassword, "MyNewSecureP4ssw0rd!"), 401, "invalid token");
        }
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        try
        {
            AssertEnvelope(await ApiCall.EnvelopeChangeAsync(oauth.Http, token, TestData.StrongPassword, "MyNewSecureP4ssw0rd!"), 401, "invalid token");
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-16));
        }
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    [Trait("Database", "Sqlite")] // SQLite's own locking and file format
    public async Task ChangePassword_DatabaseLocked_Returns500_ExactlyTheSeedsBody()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var token = await oauth.AccessTokenAsync(email);
        // Another writer holds SQLite's write lock for longer than the host's busy timeout (2 s).
        ApiResponse response;
        await using (await DatabaseLock.AcquireAsync(app))
        {
            response = await ApiCall.EnvelopeChangeAsync(oauth.Http, token, TestData.StrongPassword, "MyNewSecureP4ssw0rd!");
        }

        AssertEnvelope(response, 500, "internal server error");
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task ChangePassword_BackToARecentPassword_IsReused_InEveryDialect()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await ApiCall.EnvelopeChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email),
            TestData.StrongPassword, TestData.OtherStrongPassword)).Status);

        var envelope = await ApiCall.EnvelopeChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword),
            TestData.OtherStrongPassword, TestData.StrongPassword);
        var v1 = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword), TestData.TenantA,
            TestData.OtherStrongPassword, TestData.StrongPassword);
        var (access, stepUp) = await oauth.AccessAndStepUpAsync(email, TestData.OtherStrongPassword);
        var stepUpResponse = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.StrongPassword);

        Assert.Equal([("new_password", "", "reused_password")], Errors(envelope));
        Assert.Equal("weak_password", v1.Code);
        Assert.Equal(["reused_password"], v1.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("VALIDATION_ERROR", stepUpResponse.Code);
        Assert.Equal(["reused_password"], stepUpResponse.Body.GetProperty("violations").EnumerateArray().Select(r => r.GetString()));
    }
}
