using System.Net;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using static IdentityHub.Web.Tests.Administration.AdminUsersApplication;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// Issue 16, item 6: an administrator requires a new password. The person's sessions end, the password grant is refused
/// with a clear error, and the sign-in page leads to the change page before anything else: not even a client coming
/// straight back to the authorize endpoint with the session cookie gets a code until the password is changed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AdminUsersCollection.Name)]
public sealed class RequiredPasswordChangeTests(AdminUsersApplication app)
{
    [Fact]
    public async Task RequiredChange_EndsSessions_RefusesThePasswordGrant_AndThePagesLeadToTheChangeFirst()
    {
        var oauth = new OAuthClient(app);
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var before = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var required = await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/require-password-change");

        Assert.Equal(HttpStatusCode.OK, required.Status);
        Assert.True(required.Body.GetProperty("password_change_required").GetBoolean());
        Assert.False(await oauth.IsActiveAsync(before.AccessToken!));
        Assert.True((await oauth.RefreshAsync(before.RefreshToken!)).IsError);
        var grant = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.Equal("invalid_grant", grant.Error);
        Assert.Contains("must be changed", grant.ErrorDescription);

        // The browser: authorize → sign-in → the change page, whatever the sign-in's destination.
        var authorizeUrl = await AuthorizeUrlAsync(oauth);
        var toLogin = await oauth.Http.GetAsync(authorizeUrl);
        var signIn = await oauth.SignInAsync(toLogin.Headers.Location!.ToString(), email, TestData.StrongPassword, TestData.TenantA);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/Account/ChangePassword?ReturnUrl=", signIn.Headers.Location!.ToString());

        // A client skipping the page: straight back to authorize with the cookie gets no code; nor does another page.
        var skipped = await oauth.Http.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, skipped.StatusCode);
        Assert.StartsWith("/Account/ChangePassword?ReturnUrl=", skipped.Headers.Location!.ToString());
        Assert.DoesNotContain("code=", skipped.Headers.Location!.ToString());
        var manage = await oauth.Http.GetAsync("/Account/Manage");
        Assert.StartsWith("/Account/ChangePassword", manage.Headers.Location!.ToString());

        // The change, then the sign-in goes on: a code for the client.
        var changed = await oauth.PostFormAsync(signIn.Headers.Location!.ToString(), new Dictionary<string, string>
        {
            ["CurrentPassword"] = TestData.StrongPassword, ["NewPassword"] = TestData.OtherStrongPassword, ["ConfirmPassword"] = TestData.OtherStrongPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var resumed = await oauth.Http.GetAsync(changed.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        Assert.StartsWith(TestData.SpaRedirectUri, resumed.Headers.Location!.ToString());
        Assert.Contains("code=", resumed.Headers.Location!.ToString());
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
    }

    private static async Task<string> AuthorizeUrlAsync(OAuthClient oauth)
    {
        var disco = await oauth.DiscoverAsync();
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData("verifier-0123456789-0123456789-0123456789"u8.ToArray()));
        return new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(clientId: TestData.SpaClient, responseType: OidcConstants.ResponseTypes.Code,
            scope: "openid", redirectUri: TestData.SpaRedirectUri, state: "state-1", codeChallenge: challenge,
            codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256, acrValues: $"tenant:{TestData.TenantA}");
    }
}
