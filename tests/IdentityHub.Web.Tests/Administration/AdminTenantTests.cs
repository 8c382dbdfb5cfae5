using System.Net;
using System.Text.Json;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using static IdentityHub.Web.Tests.Administration.AdminApplication;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// Issue 16, items 6 and 2 of its interplay with seeding: <c>/v1/admin/tenants</c> for administrator clients only; a
/// tenant-bound administrator sees its own tenant only; the settings follow the seed's rules; seeded tenants are read-only.
/// </summary>
[Collection(AdminApplication.Collection)]
public sealed class AdminTenantTests(AdminApplication app)
{
    private const string FreezePolicies = """
        @id("self-service")
        permit (principal, action == Action::"ChangePassword", resource) when { resource.owner == principal };
        @id("freeze")
        @notice("Changes are frozen during the migration.")
        forbid (principal, action == Action::"ChangePassword", resource) when { principal.tenant.frozen };
        """;

    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task Tenants_RefuseAnyoneButAnAdministratorClient()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var userToken = await oauth.AccessTokenAsync(email);
        var notAdmin = await app.ClientTokenAsync(oauth, NotAdmin);

        var none = await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/tenants", null);
        var user = await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/tenants", userToken);
        var client = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/tenants", notAdmin, new { name = "Nope" });

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), (none.Status, none.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (user.Status, user.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (client.Status, client.Code));
        Assert.False(await app.QueryAsync(db => Task.FromResult(db.Tenants.Any(t => t.Name == "Nope"))));
    }

    [Fact]
    public async Task GlobalAdmin_CreatesReadsUpdatesAndLists_AuditedWithTheActingClient()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);

        var created = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/tenants", token, new
        {
            name = "Initech", default_locale = "fr", password_policy = new { preset = "nist", min_length = 16 },
            policies = FreezePolicies, attributes = new Dictionary<string, string> { ["frozen"] = "false" },
        });

        AssertStatus(HttpStatusCode.Created, created);
        var id = created.Body.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/admin/tenants/{id}", created.Header("Location"));
        Assert.Equal("api", created.Body.GetProperty("managed_by").GetString());
        Assert.Equal(16, created.Body.GetProperty("password_policy").GetProperty("min_length").GetInt32());
        var stored = await app.QueryAsync(db => Task.FromResult(db.Tenants.Single(t => t.Id == id)));
        Assert.Equal(("Initech", "fr", "nist", 16), (stored.Name, stored.DefaultLocale, stored.PasswordPolicy.Preset, stored.PasswordPolicy.MinLength));
        Assert.Contains("forbid", stored.Policies);

        var updated = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/tenants/{id}", token, new { name = "Initech Ltd", policies = "" });
        var read = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/tenants/{id}", token);
        var list = await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/tenants", token);

        AssertStatus(HttpStatusCode.OK, updated);
        Assert.Equal("Initech Ltd", read.Body.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, read.Body.GetProperty("policies").ValueKind);   // back to the default set
        Assert.Equal("fr", read.Body.GetProperty("default_locale").GetString());          // not given: kept
        var listed = list.Body.GetProperty("tenants").EnumerateArray().ToList();
        Assert.Contains(listed, t => t.GetProperty("id").GetGuid() == id);
        Assert.Contains(listed, t => t.GetProperty("id").GetGuid() == TestData.TenantB && t.GetProperty("managed_by").GetString() == "configuration");
        Assert.Contains(await app.AuditAsync(AuditEventTypes.TenantCreated), e => e.TenantId == id && e.ClientId == GlobalAdmin && e.IpAddress is not null);
        Assert.Contains(await app.AuditAsync(AuditEventTypes.TenantUpdated), e => e.TenantId == id && e.ClientId == GlobalAdmin);
    }

    [Theory]
    [InlineData("""{"name": "Bad", "password_policy": {"preset": "lax"}}""", "password_policy", "invalid_password_policy")]
    [InlineData("""{"name": "Bad", "password_policy": {"min_length": 20, "max_length": 10}}""", "password_policy", "invalid_password_policy")]
    [InlineData("""{"name": "Bad", "policies": "permit (principal,\n action == ;"}""", "policies", "parse_error")]
    [InlineData("""{"name": "Bad", "default_locale": "xx-notalocale"}""", "default_locale", "invalid_locale")]
    [InlineData("""{"name": ""}""", "name", "required")]
    [InlineData("""{"name": "Bad", "colour": "blue"}""", "colour", "invalid_value")]
    public async Task BadSettings_Return400NamingTheProblem_AndStoreNothing(string body, string field, string reason)
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var before = await app.QueryAsync(db => Task.FromResult(db.Tenants.Count()));

        var response = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/tenants", token, body);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (response.Status, response.Code));
        Assert.Contains(field, response.Body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(reason, response.Body.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(before, await app.QueryAsync(db => Task.FromResult(db.Tenants.Count())));
    }

    [Fact]
    public async Task UnparsableCedar_OnUpdate_Returns400WithLine_AndKeepsThePolicies()
    {
        var token = await app.ClientTokenAsync(oauth, GlobalAdmin);
        var id = (await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/tenants", token, new { name = "Keep", policies = FreezePolicies })).Body.GetProperty("id").GetGuid();

        var response = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/tenants/{id}", token, new { policies = "permit (\nprincipal" });
        var notJson = await ApiCall.SendAsync(oauth.Http, HttpMethod.Patch, $"/v1/admin/tenants/{id}", token, "name=x", contentType: "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("policies", response.Body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(2, response.Body.GetProperty("details").GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.Status);
        Assert.Equal(FreezePolicies, await app.QueryAsync(db => Task.FromResult(db.Tenants.Single(t => t.Id == id).Policies)));
    }

    [Fact]
    public async Task TenantBoundAdmin_SeesItsTenantOnly_CreatesNone_AndSeededTenantsAreReadOnly()
    {
        var token = await app.ClientTokenAsync(oauth, TenantAdmin);

        var list = await AdminAsync(oauth, HttpMethod.Get, "/v1/admin/tenants", token);
        var own = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/tenants/{TestData.TenantA}", token);
        var other = await AdminAsync(oauth, HttpMethod.Get, $"/v1/admin/tenants/{TestData.TenantB}", token);
        var otherUpdate = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/tenants/{TestData.TenantB}", token, new { name = "Mine" });
        var create = await AdminAsync(oauth, HttpMethod.Post, "/v1/admin/tenants", token, new { name = "Mine" });
        var seeded = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/tenants/{TestData.TenantA}", token, new { name = "Renamed" });

        Assert.Equal([TestData.TenantA], list.Body.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
        Assert.Equal(("configuration", "Acme"), (own.Body.GetProperty("managed_by").GetString(), own.Body.GetProperty("name").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (other.Status, other.Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (otherUpdate.Status, otherUpdate.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (create.Status, create.Code));
        Assert.Equal((HttpStatusCode.Conflict, "managed_by_configuration"), (seeded.Status, seeded.Code));
        Assert.Equal("Acme", await app.QueryAsync(db => Task.FromResult(db.Tenants.Single(t => t.Id == TestData.TenantA).Name)));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheTenantAndClientEndpoints_InSnakeCase()
    {
        var json = JsonDocument.Parse(await oauth.Http.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = json.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/admin/tenants/{id}", out var tenant), "tenants/{id} is documented");
        Assert.True(paths.TryGetProperty("/v1/admin/clients/{clientId}/secret", out _), "the rotation is documented");
        Assert.True(paths.TryGetProperty("/v1/admin/clients", out var clients), "clients is documented");
        Assert.True(tenant.GetProperty("patch").GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(clients.GetProperty("post").GetProperty("responses").TryGetProperty("201", out _));
        var document = json.ToString();
        Assert.Contains("\"post_logout_redirect_uris\"", document);   // the wire names, as the requests and answers have them
        Assert.Contains("\"managed_by\"", document);
    }
}
