using System.Net;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IdentityHub.Web.Tests.Administration.AdminUsersApplication;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>Issue 16, items 6 and 9: the users of the admin API, their refusals, and the Cedar policies that decide them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AdminUsersCollection.Name)]
public sealed class AdminUserApiTests(AdminUsersApplication app)
{
    private readonly OAuthClient oauth = new(app);

    private async Task<Guid> CreateAsync(Guid tenant, string email, object? extra = null)
    {
        var created = await app.AdminAsync(HttpMethod.Post, Users(tenant), extra ?? new { email, password = TestData.StrongPassword, display_name = "Dora", locale = "fr", roles = new[] { "staff" } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body.GetProperty("id").GetGuid();
    }

    /// <summary>The tokens no longer work: introspection says inactive, refresh is refused.</summary>
    private async Task AssertEndedAsync(Duende.IdentityModel.Client.TokenResponse tokens)
    {
        Assert.False(await oauth.IsActiveAsync(tokens.AccessToken!));
        Assert.True((await oauth.RefreshAsync(tokens.RefreshToken!)).IsError);
    }

    /// <summary>POST /v1/password-resets/confirm in tenant A.</summary>
    private Task<ApiResponse> ConfirmResetAsync(string token, string newPassword) =>
        ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/password-resets/confirm", null,
            System.Text.Json.JsonSerializer.Serialize(new { token, new_password = newPassword }),
            new Dictionary<string, string> { ["X-Tenant-ID"] = TestData.TenantA.ToString() });

    private static string NewEmail() => $"a{Guid.NewGuid():N}"[..12] + "@acme.test";

    [Fact]
    public async Task Create_WithAPassword_Returns201_TheUserSignsIn_AndTheAuditNamesTheClient()
    {
        var email = NewEmail();

        var created = await app.AdminAsync(HttpMethod.Post, Users(TestData.TenantA), new { email, password = TestData.StrongPassword, display_name = "Dora", locale = "fr", roles = new[] { "staff" } });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(email, created.Body.GetProperty("email").GetString());
        Assert.Equal("Dora", created.Body.GetProperty("display_name").GetString());
        Assert.True(created.Body.GetProperty("has_password").GetBoolean());
        Assert.DoesNotContain("password_hash", created.Body.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestData.StrongPassword, created.Body.ToString());
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        var id = created.Body.GetProperty("id").GetGuid();
        var audit = await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == id && e.Type == "admin_create").ToListAsync());
        Assert.Equal(Admin, Assert.Single(audit).ClientId);
        Assert.Contains("staff", await app.WithServicesAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<IdentityHub.Accounts.HubUser>>();
            return await users.GetRolesAsync((await users.FindByIdAsync(id.ToString()))!);
        }));
    }

    [Theory]
    [InlineData("""{"password": "Correct-Horse-Battery-9"}""", "invalid_request", "email")]
    [InlineData("""{"email": "no-at-sign", "password": "Correct-Horse-Battery-9"}""", "invalid_request", "email")]
    [InlineData("""{"email": "x@acme.test"}""", "invalid_request", "password")]
    [InlineData("""{"email": "x@acme.test", "password": "Correct-Horse-Battery-9", "invite": true}""", "invalid_request", "password")]
    [InlineData("""{"email": "x@acme.test", "password": "short"}""", "weak_password", null)]
    [InlineData("""{"email": "x@acme.test", "invite": true, "locale": "xx-not-a-locale"}""", "invalid_request", "locale")]
    [InlineData("""{"email": "x@acme.test", "invite": true, "roles": "admin"}""", "invalid_request", "roles")]
    [InlineData("""[1]""", "invalid_request", null)]
    public async Task Create_BadInput_Returns400_InTheV1Shape(string body, string code, string? field)
    {
        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, Users(TestData.TenantA), await app.AdminTokenAsync(), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(code, response.Code);
        if (field is not null)
        {
            Assert.Equal(field, response.Body.GetProperty("details").GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Create_AnExistingEmail_Returns409_AndABadTenantId_400()
    {
        var email = NewEmail();
        await CreateAsync(TestData.TenantA, email);

        var again = await app.AdminAsync(HttpMethod.Post, Users(TestData.TenantA), new { email = email.ToUpperInvariant(), password = TestData.OtherStrongPassword });
        var badTenant = await app.AdminAsync(HttpMethod.Get, "/v1/admin/tenants/not-a-uuid/users");

        Assert.Equal((HttpStatusCode.Conflict, "user_exists"), (again.Status, again.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "tenant_id"), (badTenant.Status, badTenant.Body.GetProperty("details").GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Invite_CreatesAUserWithoutAPassword_WhoseEmailedLinkSetsTheFirstPassword()
    {
        var email = NewEmail();

        var invited = await app.AdminAsync(HttpMethod.Post, Users(TestData.TenantA), new { email, invite = true });

        Assert.Equal(HttpStatusCode.Created, invited.Status);
        Assert.False(invited.Body.GetProperty("has_password").GetBoolean());
        Assert.True(invited.Body.GetProperty("password_change_required").GetBoolean());
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        var token = await app.LinkTokenAsync(email);
        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmResetAsync(token, TestData.ThirdStrongPassword)).Status);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.ThirdStrongPassword)).IsError);
    }

    public static TheoryData<string, string> UserEndpoints() => new()
    {
        { "GET", "" }, { "DELETE", "" }, { "POST", "/lock" }, { "POST", "/unlock" }, { "POST", "/disable" }, { "POST", "/enable" },
        { "POST", "/require-password-change" }, { "DELETE", "/sessions" }, { "POST", "/password-reset" }, { "PUT", "/password" }, { "GET", "/audit-events" },
    };

    [Theory]
    [MemberData(nameof(UserEndpoints))]
    public async Task EveryUserEndpoint_RefusesStrangers_OtherTenants_AndUnknownUsers(string method, string suffix)
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var path = User(TestData.TenantA, userId) + suffix;
        var body = method == "PUT" ? """{"password": "Tangerine!Ocean-Lamp-42"}""" : null;
        var userToken = await oauth.AccessTokenAsync(email);
        var http = new HttpMethod(method);

        var anonymous = await ApiCall.SendAsync(oauth.Http, http, path, null, body);
        var asUser = await ApiCall.SendAsync(oauth.Http, http, path, userToken, body);
        var asNotAdmin = await ApiCall.SendAsync(oauth.Http, http, path, await app.AdminTokenAsync(NotAdmin), body);
        var asOtherTenantAdmin = await ApiCall.SendAsync(oauth.Http, http, path, await app.AdminTokenAsync(AdminOfB), body);
        var viaOtherTenant = await ApiCall.SendAsync(oauth.Http, http, User(TestData.TenantB, userId) + suffix, await app.AdminTokenAsync(), body);
        var unknown = await ApiCall.SendAsync(oauth.Http, http, User(TestData.TenantA, Guid.NewGuid()) + suffix, await app.AdminTokenAsync(), body);
        var badId = await ApiCall.SendAsync(oauth.Http, http, Users(TestData.TenantA) + "/123" + suffix, await app.AdminTokenAsync(), body);

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthenticated"), (anonymous.Status, anonymous.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (asUser.Status, asUser.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (asNotAdmin.Status, asNotAdmin.Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (asOtherTenantAdmin.Status, asOtherTenantAdmin.Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (viaOtherTenant.Status, viaOtherTenant.Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.Status, unknown.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "user_id"), (badId.Status, badId.Body.GetProperty("details").GetProperty("field").GetString()));
        // Nothing happened to the account: it still signs in.
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task AnAdminBoundToATenant_AdministersItsOwnTenant_AndCannotListOrCreateInAnother()
    {
        var (userId, _) = await app.CreateUserAsync(TestData.TenantB);

        var own = await app.AdminAsync(HttpMethod.Get, User(TestData.TenantB, userId), clientId: AdminOfB);
        var list = await app.AdminAsync(HttpMethod.Get, Users(TestData.TenantA), clientId: AdminOfB);
        var create = await app.AdminAsync(HttpMethod.Post, Users(TestData.TenantA), new { email = NewEmail(), invite = true }, AdminOfB);

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (list.Status, list.Code));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (create.Status, create.Code));
    }

    [Fact]
    public async Task List_PagesByEmail_AndSearchesAnyCase_WithinTheTenant()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        foreach (var i in Enumerable.Range(1, 3))
        {
            await CreateAsync(TestData.TenantA, $"{marker}-{i}@acme.test", new { email = $"{marker}-{i}@acme.test", invite = true });
        }
        await app.AdminAsync(HttpMethod.Post, Users(TestData.TenantB), new { email = $"{marker}-b@acme.test", invite = true });

        var first = await app.AdminAsync(HttpMethod.Get, Users(TestData.TenantA) + $"?email={marker.ToUpperInvariant()}&size=2");
        var second = await app.AdminAsync(HttpMethod.Get, Users(TestData.TenantA) + $"?email={marker}&size=2&page=2");
        var tooBig = await app.AdminAsync(HttpMethod.Get, Users(TestData.TenantA) + "?size=1000");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(3, first.Body.GetProperty("total").GetInt32());
        Assert.Equal([$"{marker}-1@acme.test", $"{marker}-2@acme.test"], first.Body.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("email").GetString()));
        Assert.Equal([$"{marker}-3@acme.test"], second.Body.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("email").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "size"), (tooBig.Status, tooBig.Body.GetProperty("details").GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Disable_EndsEveryTokenAtOnce_AndRefusesSignIn_UntilEnabled()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var disabled = await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/disable");

        Assert.Equal(HttpStatusCode.OK, disabled.Status);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, disabled.Body.GetProperty("disabled_at").ValueKind);
        await AssertEndedAsync(tokens);
        var signIn = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.Equal(("invalid_grant", "The account is disabled."), (signIn.Error, signIn.ErrorDescription));
        var wrong = await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword);
        Assert.NotEqual("The account is disabled.", wrong.ErrorDescription);

        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/enable")).Status);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task Lock_EndsEveryTokenAtOnce_RefusesSignIn_EvenAfterAReset_UnlockLetsItIn()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var locked = await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/lock");

        Assert.Equal(HttpStatusCode.OK, locked.Status);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, locked.Body.GetProperty("locked_until").ValueKind);
        await AssertEndedAsync(tokens);
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        // A reset lifts a lock of failed attempts, never an administrator's.
        Assert.Equal(HttpStatusCode.Accepted, (await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/password-reset")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmResetAsync(await app.LinkTokenAsync(email), TestData.OtherStrongPassword)).Status);
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
        var unlocked = await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/unlock");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unlocked.Body.GetProperty("locked_until").ValueKind);
        Assert.Equal(0, unlocked.Body.GetProperty("failed_attempts").GetInt32());
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
    }

    [Fact]
    public async Task RevokeSessions_MakesTokensInactive_AndRefreshRefused()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var revoked = await app.AdminAsync(HttpMethod.Delete, User(TestData.TenantA, userId) + "/sessions");

        Assert.Equal(HttpStatusCode.NoContent, revoked.Status);
        await AssertEndedAsync(tokens);
        var audit = await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == userId && e.Type == "admin_revoke_sessions").Select(e => e.ClientId).ToListAsync());
        Assert.Equal([Admin], audit);
    }

    [Fact]
    public async Task Delete_EndsTokens_TheUserIsGone_AndItsAuditEventsStay()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var deleted = await app.AdminAsync(HttpMethod.Delete, User(TestData.TenantA, userId));

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        await AssertEndedAsync(tokens);
        Assert.Equal(HttpStatusCode.NotFound, (await app.AdminAsync(HttpMethod.Get, User(TestData.TenantA, userId))).Status);
        var types = await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == userId).Select(e => e.Type).ToListAsync());
        Assert.Contains("sign_in", types);
        Assert.Contains("admin_delete", types);
    }

    [Fact]
    public async Task SetPassword_GoesThroughThePolicy_AndEndsSessions()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);

        var weak = await app.AdminAsync(HttpMethod.Put, User(TestData.TenantA, userId) + "/password", new { password = "short" });
        var same = await app.AdminAsync(HttpMethod.Put, User(TestData.TenantA, userId) + "/password", new { password = TestData.StrongPassword });
        var set = await app.AdminAsync(HttpMethod.Put, User(TestData.TenantA, userId) + "/password", new { password = TestData.OtherStrongPassword });

        Assert.Equal((HttpStatusCode.BadRequest, "weak_password"), (weak.Status, weak.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "weak_password"), (same.Status, same.Code));
        Assert.Equal(HttpStatusCode.NoContent, set.Status);
        Assert.False(await oauth.IsActiveAsync(tokens.AccessToken!));
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);
    }

    [Fact]
    public async Task PasswordReset_QueuesTheResetEmail_Returns202()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);

        var sent = await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/password-reset");

        Assert.Equal(HttpStatusCode.Accepted, sent.Status);
        Assert.NotEmpty(await app.LinkTokenAsync(email));
    }

    [Fact]
    public async Task AuditEvents_NewestFirst_WithTheActingClient()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/lock");
        await app.AdminAsync(HttpMethod.Post, User(TestData.TenantA, userId) + "/unlock");

        var events = await app.AdminAsync(HttpMethod.Get, User(TestData.TenantA, userId) + "/audit-events?size=2");

        Assert.Equal(HttpStatusCode.OK, events.Status);
        Assert.Equal(3, events.Body.GetProperty("total").GetInt32());
        var items = events.Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["admin_unlock", "admin_lock"], items.Select(e => e.GetProperty("type").GetString()));
        Assert.All(items, e => Assert.Equal(Admin, e.GetProperty("client_id").GetString()));
    }

    [Fact]
    public async Task ATenantsPolicy_ForbidsAdminResetsOfSsoAccounts_WithItsNotice_AndAllowsTheRest()
    {
        var (ssoUser, _) = await app.CreateUserAsync(Policed, password: null);
        var (localUser, _) = await app.CreateUserAsync(Policed);

        var reset = await app.AdminAsync(HttpMethod.Post, User(Policed, ssoUser) + "/password-reset");
        var set = await app.AdminAsync(HttpMethod.Put, User(Policed, ssoUser) + "/password", new { password = TestData.OtherStrongPassword });
        var lockSso = await app.AdminAsync(HttpMethod.Post, User(Policed, ssoUser) + "/lock");
        var resetLocal = await app.AdminAsync(HttpMethod.Post, User(Policed, localUser) + "/password-reset");

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden_by_policy"), (reset.Status, reset.Code));
        Assert.Equal([SsoNotice], reset.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden_by_policy"), (set.Status, set.Code));
        Assert.Equal(HttpStatusCode.OK, lockSso.Status);
        Assert.Equal(HttpStatusCode.Accepted, resetLocal.Status);
        var audit = await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == ssoUser && e.Type == "admin_reset_password"));
        Assert.Equal(0, audit);
    }
}
