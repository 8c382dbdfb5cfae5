using System.Net;
using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using MimeKit;

namespace IdentityHub.Web.Tests.Notifications;

/// <summary>A host with a configured issuer, as every host outside Development has.</summary>
public sealed class ConfiguredIssuerApplication : HubApplication
{
    public const string Issuer = "http://id.example.test/";

    protected override void Configure(Dictionary<string, object?> settings) =>
        settings["Server"] = new { AllowInsecureHttp = true, Issuer };
}

/// <summary>Links and token issuers come from configuration, never from the Host header a client sends.</summary>
public sealed class ConfiguredIssuerTests(ConfiguredIssuerApplication app) : IClassFixture<ConfiguredIssuerApplication>
{
    [Fact]
    public async Task ASpoofedHostHeader_ChangesNeitherTheEmailLinks_NorTheStepUpIssuer()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var http = app.CreateBrowserlessClient();
        var tokens = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = new Uri(app.Address, "connect/token").ToString(), ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
            UserName = email, Password = TestData.StrongPassword, Scope = "openid account",
        });
        Assert.False(tokens.IsError, tokens.Error);

        // The step-up token asked for under an attacker's Host header still names the configured issuer.
        using var stepUpRequest = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange", ["subject_token"] = tokens.AccessToken!,
                ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token", ["password"] = TestData.StrongPassword,
                ["client_id"] = TestData.CliClient, ["client_secret"] = TestData.CliSecret,
            }),
        };
        stepUpRequest.Headers.Host = "attacker.example";
        var stepUp = await http.SendAsync(stepUpRequest);
        Assert.Equal(HttpStatusCode.OK, stepUp.StatusCode);
        var stepUpToken = System.Text.Json.JsonDocument.Parse(await stepUp.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal(ConfiguredIssuerApplication.Issuer, new JsonWebToken(stepUpToken).Issuer);

        // The change made under the attacker's Host header: the email links to the configured issuer only.
        using var change = new HttpRequestMessage(HttpMethod.Post, "v1/users/me/password")
        {
            Content = new StringContent($"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":\"{TestData.OtherStrongPassword}\"}}",
                new MediaTypeHeaderValue("application/json")),
        };
        change.Headers.Host = "attacker.example";
        change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        change.Headers.Add("X-Tenant-ID", TestData.TenantA.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(change)).StatusCode);

        var message = await PickupDirectoryTests.WaitForEmlAsync(Path.Combine(app.Directory, "mail"), email);
        Assert.NotNull(message);
        var text = message.TextBody + message.HtmlBody;
        Assert.Contains("http://id.example.test/Account/Login", text);
        Assert.DoesNotContain("attacker.example", text);
    }
}
