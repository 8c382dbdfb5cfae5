using System.Net;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Api;

/// <summary>
/// Security hardening, item 11: a token holder who does not know the current password learns nothing about the
/// account's passwords from a change attempt. With a wrong current password the answer is the wrong-password error
/// (plus rules that depend on nothing stored), never <c>same_as_current</c> or <c>reused_password</c>; with the
/// right one, those rules are reported as before.
/// </summary>
public sealed class PasswordHistoryOracleTests(HubApplication app) : IClassFixture<HubApplication>
{
    private const string WrongCurrent = "Not-The-Password-77!";
    private readonly OAuthClient oauth = new(app);

    /// <summary>A fresh user whose current password is <see cref="TestData.OtherStrongPassword"/> and previous one <see cref="TestData.StrongPassword"/>.</summary>
    private async Task<string> UserWithAPreviousPasswordAsync()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var changed = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA,
            TestData.StrongPassword, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.NoContent, changed.Status);
        return email;
    }

    private static void AssertNoHistoryRule(ApiResponse response)
    {
        var raw = response.Body.GetRawText();
        Assert.DoesNotContain("reused_password", raw);
        Assert.DoesNotContain("same_as_current", raw);
    }

    private static List<string> EnvelopeMessages(ApiResponse response) =>
        response.Body.GetProperty("data").GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("key").GetString()}:{e.GetProperty("message").GetString()}").ToList();

    [Theory]
    [InlineData(TestData.OtherStrongPassword)] // the current password
    [InlineData(TestData.StrongPassword)] // the previous password
    public async Task V1_WrongCurrentPassword_SaysOnlyThat_NeverWhetherTheNewOneIsCurrentOrOld(string candidate)
    {
        var email = await UserWithAPreviousPasswordAsync();
        var token = await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, TestData.TenantA, WrongCurrent, candidate);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_current_password", response.Code);
        AssertNoHistoryRule(response);
    }

    [Theory]
    [InlineData(TestData.OtherStrongPassword)]
    [InlineData(TestData.StrongPassword)]
    public async Task Envelope_WrongCurrentPassword_SaysOnlyThat_NeverWhetherTheNewOneIsCurrentOrOld(string candidate)
    {
        var email = await UserWithAPreviousPasswordAsync();
        var token = await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword);

        var response = await ApiCall.EnvelopeChangeAsync(oauth.Http, token, WrongCurrent, candidate);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["current_password:incorrect_password"], EnvelopeMessages(response));
        AssertNoHistoryRule(response);
    }

    [Fact]
    public async Task Envelope_WrongCurrentPassword_StillListsRulesThatDependOnNothingStored()
    {
        var email = await UserWithAPreviousPasswordAsync();
        var token = await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword);

        var response = await ApiCall.EnvelopeChangeAsync(oauth.Http, token, WrongCurrent, "short9!");

        var messages = EnvelopeMessages(response);
        Assert.Equal("current_password:incorrect_password", messages[0]);
        Assert.Contains("new_password:min_length", messages);
        AssertNoHistoryRule(response);
    }

    [Fact]
    public async Task RightCurrentPassword_ReportsSameAsCurrentAndReused_AsBefore_InBothDialects()
    {
        var email = await UserWithAPreviousPasswordAsync();

        var v1Same = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword), TestData.TenantA,
            TestData.OtherStrongPassword, TestData.OtherStrongPassword);
        var v1Reused = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword), TestData.TenantA,
            TestData.OtherStrongPassword, TestData.StrongPassword);
        var envelopeSame = await ApiCall.EnvelopeChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword),
            TestData.OtherStrongPassword, TestData.OtherStrongPassword);
        var envelopeReused = await ApiCall.EnvelopeChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email, TestData.OtherStrongPassword),
            TestData.OtherStrongPassword, TestData.StrongPassword);

        Assert.Equal("weak_password", v1Same.Code);
        Assert.Equal(["same_as_current"], v1Same.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("weak_password", v1Reused.Code);
        Assert.Equal(["reused_password"], v1Reused.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["new_password:same_as_current"], EnvelopeMessages(envelopeSame));
        Assert.Equal(["new_password:reused_password"], EnvelopeMessages(envelopeReused));
        // Nothing changed: the current password still signs in.
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
    }
}
