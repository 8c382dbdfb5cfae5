using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using static IdentityHub.Web.Tests.Administration.AdminApplication;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// Issue 16, item 6: <c>/v1/admin/clients</c>. What a user of a client relies on: a created client gets tokens, a
/// rotated secret stops working at once, a deleted client's tokens are inactive, an updated redirect URI is used.
/// </summary>
[Collection(AdminApplication.Collection)]
public sealed class AdminClientTests(AdminApplication app)
{
    private readonly OAuthClient oauth = new(app);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<(string ClientId, string Secret)> CreateConfidentialAsync(string token, object? extra = null)
    {
        var clientId = NewId("svc");
        var body = JsonSerializer.SerializeToNode(new { client_id = clientId, grant_types = new[] { "client_credentials", "password" }, scopes = new[] { "openid", "account", "orders" } })!.AsObject();
        foreach (var (key, value) in extra is null ? [] : JsonSerializer.SerializeToNode(extra)!.AsObject().ToList())
        {
            body[key] = value?.DeepClone();
        }
        var created = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", token, body.ToJsonString());
        AssertStatus(HttpStatusCode.Created, created);
        return (clientId, created.Body.GetProperty("client_secret").GetString()!);
    }

    [Fact]
    public async Task Clients_RefuseAnyoneButAnAdministratorClient()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var userToken = await oauth.AccessTokenAsync(email);
        var notAdmin = await app.ClientTokenAsync(oauth, NotAdmin);
        var body = new { client_id = "intruder", grant_types = new[] { "client_credentials" } };

        var none = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", null, body);
        var user = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", userToken, body);
        var client = await AdminAsync(oauth, HttpMethod.Delete, $"/v1/admin/clients/{TestData.CliClient}", notAdmin);

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), (none.Status, none.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (user.Status, user.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (client.Status, client.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/clients/intruder", await app.ClientTokenAsync(oauth, GlobalAdmin))).Status);
    }

    [Fact]
    public async Task CreatedClient_GetsTokens_AndARotatedSecret_ReplacesTheOldAtOnce()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var (clientId, secret) = await CreateConfidentialAsync(token);
        Assert.True(secret.Length >= 43, "256 bits, base64url");
        Assert.False((await ClientCredentialsAsync(oauth, clientId, secret, "account")).IsError);

        var rotated = await AdminAsync(oauth, HttpMethod.Post, $"/v1/admin/clients/{clientId}/secret", token);

        AssertStatus(HttpStatusCode.OK, rotated);
        var newSecret = rotated.Body.GetProperty("client_secret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(oauth, clientId, secret, "account")).HttpStatusCode);   // invalid_client
        Assert.False((await ClientCredentialsAsync(oauth, clientId, newSecret, "account")).IsError);
        var shown = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/clients/{clientId}", token);
        Assert.False(shown.Body.TryGetProperty("client_secret", out _));
        Assert.DoesNotContain(newSecret, await app.QueryAsync(db => Task.FromResult(string.Join("|",
            db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientSecret)))));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(newSecret, StringComparison.Ordinal));
        Assert.Contains(await app.AuditAsync(AuditEventTypes.ClientCreated), e => e.ClientId == GlobalAdmin && e.TenantId == Guid.Empty);
        Assert.Contains(await app.AuditAsync(AuditEventTypes.ClientSecretRotated), e => e.ClientId == GlobalAdmin);
    }

    [Fact]
    public async Task DeletedClient_ItsTokensAreInactive_AndItsSecretRefused()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var (clientId, secret) = await CreateConfidentialAsync(token, new { tenant_id = TestData.TenantA });
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var userTokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, clientId, secret, "openid account orders");
        Assert.False(userTokens.IsError, userTokens.Error);
        var clientToken = (await ClientCredentialsAsync(oauth, clientId, secret, "orders")).AccessToken!;
        // The resource server the tokens are for (their audience) introspects them.
        Assert.True(await oauth.IsActiveAsync(clientToken, OrdersApi, Secret));
        Assert.True(await oauth.IsActiveAsync(userTokens.AccessToken!, OrdersApi, Secret));

        var deleted = await AdminAsync(oauth, HttpMethod.Delete, $"/v1/admin/clients/{clientId}", token);

        AssertStatus(HttpStatusCode.NoContent, deleted);
        Assert.False(await oauth.IsActiveAsync(clientToken, OrdersApi, Secret));
        Assert.False(await oauth.IsActiveAsync(userTokens.AccessToken!, OrdersApi, Secret));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiCall.V1ChangeAsync(oauth.Http, userTokens.AccessToken, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(oauth, clientId, secret, "account")).HttpStatusCode);   // invalid_client
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(oauth, HttpMethod.Delete, $"/v1/admin/clients/{clientId}", token)).Status);
        Assert.Contains(await app.AuditAsync(AuditEventTypes.ClientDeleted), e => e.ClientId == GlobalAdmin && e.TenantId == TestData.TenantA);
    }

    [Fact]
    public async Task UpdatedRedirectUri_IsTheOneAnAuthorizationRequestMayUse()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var clientId = NewId("spa");
        var created = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", token, new
        {
            client_id = clientId, type = "public", tenant_id = TestData.TenantA, grant_types = new[] { "authorization_code" },
            redirect_uris = new[] { "http://127.0.0.1/old-callback" }, scopes = new[] { "openid", "account" },
        });
        AssertStatus(HttpStatusCode.Created, created);
        Assert.Equal(JsonValueKind.Null, created.Body.GetProperty("client_secret").ValueKind);
        var authorize = $"/connect/authorize?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(TestData.SpaRedirectUri)}" +
                        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s";
        Assert.NotEqual(HttpStatusCode.Redirect, (await oauth.Http.GetAsync(authorize)).StatusCode);

        var updated = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", token, new { redirect_uris = new[] { TestData.SpaRedirectUri } });

        AssertStatus(HttpStatusCode.OK, updated);
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.AuthorizationCodeAsync(email, TestData.StrongPassword, scope: "openid account", clientId: clientId);
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Contains(await app.AuditAsync(AuditEventTypes.ClientUpdated), e => e.ClientId == GlobalAdmin && e.TenantId == TestData.TenantA);
    }

    [Fact]
    public async Task CreatedTenantsCedarPolicy_AppliesToAPasswordChange_ThroughACreatedClient()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var tenant = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/tenants", token, new
        {
            name = "Frozen Co",
            policies = """
                @id("freeze")
                @notice("Changes are frozen during the migration.")
                forbid (principal, action == Action::"ChangePassword", resource);
                """,
        });
        var tenantId = tenant.Body.GetProperty("id").GetGuid();
        var (clientId, secret) = await CreateConfidentialAsync(token, new { tenant_id = tenantId });
        var (_, email) = await app.CreateUserAsync(tenantId);
        var access = (await oauth.PasswordGrantAsync(email, TestData.StrongPassword, clientId, secret, "openid account")).AccessToken;

        var refused = await ApiCall.V1ChangeAsync(oauth.Http, access, tenantId, TestData.StrongPassword, TestData.OtherStrongPassword);
        await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/tenants/{tenantId}", token, new { policies = "" });
        var allowed = await ApiCall.V1ChangeAsync(oauth.Http, access, tenantId, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden_by_policy"), (refused.Status, refused.Code));
        Assert.Contains("Changes are frozen during the migration.", refused.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, allowed.Status);
    }

    [Theory]
    [InlineData("""{"client_id": "bad-1", "redirect_uris": ["/relative"], "grant_types": ["authorization_code"]}""", "redirect_uris", "not_absolute_uri")]
    [InlineData("""{"client_id": "bad-2", "grant_types": ["implicit"]}""", "grant_types", "unknown_grant_type")]
    [InlineData("""{"client_id": "bad-3", "type": "public", "grant_types": ["client_credentials"]}""", "grant_types", "needs_secret")]
    [InlineData("""{"client_id": "bad-4", "scopes": ["everything"]}""", "scopes", "unknown_scope")]
    [InlineData("""{"client_id": "bad-5", "allowed_origins": ["https://app.example/path"]}""", "allowed_origins", "not_exact_origin")]
    [InlineData("""{"client_id": "bad-6", "client_secret": "chosen-by-me"}""", "client_secret", "invalid_value")]
    [InlineData("""{"grant_types": ["client_credentials"]}""", "client_id", "required")]
    [InlineData("""{"client_id": "bad-7", "backchannel_logout_uri": "https://rp.example/logout#frag"}""", "backchannel_logout_uri", "not_http_uri")]
    [InlineData("""{"client_id": "bad-8", "backchannel_logout_uri": "ftp://rp.example/logout"}""", "backchannel_logout_uri", "not_http_uri")]
    public async Task BadClient_Returns400NamingTheField_AndStoresNothing(string body, string field, string reason)
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);

        var response = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", token, body);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (response.Status, response.Code));
        Assert.Contains(field, response.Body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(reason, response.Body.GetProperty("details").GetProperty("reason").GetString());
        var clientId = JsonDocument.Parse(body).RootElement.TryGetProperty("client_id", out var id) ? id.GetString() : "none";
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/clients/{clientId}", token)).Status);
    }

    [Fact]
    public async Task BackchannelLogoutUri_IsRegistered_Shown_Changed_AndRemoved()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var (clientId, _) = await CreateConfidentialAsync(token, new { backchannel_logout_uri = "https://rp.example/logout", backchannel_logout_session_required = true });
        var created = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/clients/{clientId}", token);

        var changed = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", token, new { backchannel_logout_uri = "https://rp.example/bcl" });
        var removed = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", token, new { backchannel_logout_uri = "" });

        Assert.Equal(("https://rp.example/logout", true), (created.Body.GetProperty("backchannel_logout_uri").GetString(), created.Body.GetProperty("backchannel_logout_session_required").GetBoolean()));
        Assert.Equal("https://rp.example/bcl", changed.Body.GetProperty("backchannel_logout_uri").GetString());
        Assert.Equal(JsonValueKind.Null, removed.Body.GetProperty("backchannel_logout_uri").ValueKind);
    }

    [Fact]
    public async Task TenantBoundAdmin_ManagesItsTenantsClientsOnly()
    {
        var token = await app.ClientTokenAsync(oauth, TenantAdmin);

        var list = await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/clients", token);
        var other = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/clients/{TestData.TenantBClient}", token);
        var global = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/clients/{GlobalAdmin}", token);
        var forOther = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", token, new { client_id = NewId("b"), tenant_id = TestData.TenantB });
        var admin = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", token, new { client_id = NewId("adm"), admin = true });
        var own = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/clients", token, new { client_id = NewId("own"), grant_types = new[] { "client_credentials" } });
        var seeded = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{TestData.CliClient}", token, new { scopes = new[] { "openid" } });

        var tenants = list.Body.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("tenant_id").GetString()).Distinct();
        Assert.Equal([TestData.TenantA.ToString()], tenants);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (other.Status, global.Status, forOther.Status));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (admin.Status, admin.Code));
        AssertStatus(HttpStatusCode.Created, own);
        Assert.Equal(TestData.TenantA, own.Body.GetProperty("client").GetProperty("tenant_id").GetGuid());
        Assert.Equal((HttpStatusCode.Conflict, "managed_by_configuration"), (seeded.Status, seeded.Code));
    }

    [Fact]
    public async Task AnAdministrator_CannotDeleteOrDemoteItself_ButAGlobalOneCan()
    {
        var global = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var (clientId, secret) = await CreateConfidentialAsync(global, new { grant_types = new[] { "client_credentials" }, scopes = new[] { "admin" }, admin = true });
        var self = await app.ClientTokenAsync(oauth, clientId, secret);

        var delete = await AdminAsync(oauth, HttpMethod.Delete, $"/v1/admin/clients/{clientId}", self);
        var demote = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", self, new { admin = false });
        var noScope = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", self, new { scopes = Array.Empty<string>() });
        var seededSelf = await AdminAsync(oauth, HttpMethod.Delete, $"/v1/admin/clients/{GlobalAdmin}", global);

        Assert.Equal((HttpStatusCode.Conflict, "own_client"), (delete.Status, delete.Code));
        Assert.Equal((HttpStatusCode.Conflict, "own_client"), (demote.Status, demote.Code));
        Assert.Equal((HttpStatusCode.Conflict, "own_client"), (noScope.Status, noScope.Code));
        Assert.Equal(HttpStatusCode.Conflict, seededSelf.Status);
        Assert.Equal(HttpStatusCode.OK, (await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/clients", self)).Status);

        var demoted = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", global, new { admin = false });

        AssertStatus(HttpStatusCode.OK, demoted);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/clients", self)).Status);
    }
}
