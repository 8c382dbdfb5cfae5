using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.AccountPolicies;

/// <summary>
/// Security hardening, item 13: <c>POST /v1/admin/policies/evaluate</c> takes only client-credentials tokens of
/// clients configured as administrators (with the admin scope), never a user's token, whatever its scopes.
/// </summary>
public sealed class AdminEndpointAccessTests(PoliciesApplication app) : IClassFixture<PoliciesApplication>
{
    private const string Request = """
        {"policies": "permit (principal, action, resource);", "entities": [],
         "principal": {"type": "User", "id": "u1"}, "action": {"type": "Action", "id": "ChangePassword"},
         "resource": {"type": "Account", "id": "u1"}, "context": {}}
        """;

    private readonly OAuthClient oauth = new(app);

    private async Task<string> ClientCredentialsTokenAsync(string clientId, string scope = "admin")
    {
        var disco = await oauth.DiscoverAsync();
        var token = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = clientId, ClientSecret = PoliciesApplication.AdminSecret, Scope = scope,
        });
        Assert.False(token.IsError, $"{token.Error}: {token.ErrorDescription}");
        return token.AccessToken!;
    }

    private Task<ApiResponse> EvaluateAsync(string? token) =>
        ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", token, Request);

    [Fact]
    public async Task AdminClient_ClientCredentialsWithAdminScope_Returns200()
    {
        var viaAdmin = await EvaluateAsync(await ClientCredentialsTokenAsync(PoliciesApplication.AdminClient));
        var viaAdminWithUsers = await EvaluateAsync(await ClientCredentialsTokenAsync(PoliciesApplication.AdminWithUsersClient));

        Assert.Equal(HttpStatusCode.OK, viaAdmin.Status);
        Assert.Equal("allow", viaAdmin.Body.GetProperty("decision").GetString());
        Assert.Equal(HttpStatusCode.OK, viaAdminWithUsers.Status);
    }

    [Fact]
    public async Task UserToken_WithTheAdminScope_OfAnAdminClient_Returns403()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, PoliciesApplication.AdminWithUsersClient,
            PoliciesApplication.AdminSecret, "openid admin");
        Assert.False(tokens.IsError, $"{tokens.Error}: {tokens.ErrorDescription}");
        // The token really carries the admin scope (read from the JWT: the response omits scope when it was granted as asked).
        var payload = System.Text.Json.JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(tokens.AccessToken!.Split('.')[1])).RootElement;
        Assert.Contains("admin", payload.GetProperty("scope").GetString()!.Split(' '));
        Assert.True(payload.TryGetProperty("sid", out _), "a user token names its sign-in session");

        var response = await EvaluateAsync(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("forbidden", response.Code);
        Assert.False(string.IsNullOrEmpty(response.Body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task NonAdminClient_ClientCredentialsWithAdminScope_Returns403()
    {
        var token = await ClientCredentialsTokenAsync(PoliciesApplication.NotAdminClient);

        var response = await EvaluateAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("forbidden", response.Code);
    }

    [Fact]
    public async Task AdminClient_WithoutTheAdminScope_Returns403_insufficient_scope()
    {
        var response = await EvaluateAsync(await ClientCredentialsTokenAsync(PoliciesApplication.AdminClient, ""));

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("insufficient_scope", response.Code);
    }
}
