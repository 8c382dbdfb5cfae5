using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// Issue 16, item 7: <c>users ...</c> at the command line, run as a process on the test host's own database, as an
/// operator on the box would: each verb, <c>--json</c>, a refusal, exit codes 0/1/2, and the audit's CLI actor.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AdminUsersCollection.Name)]
public sealed class UserCommandTests(AdminUsersApplication app)
{
    private readonly string tenant = TestData.TenantA.ToString();

    [Fact]
    public async Task Create_Show_List_WithJson_AndAudit_AsTheCli()
    {
        var email = $"c{Guid.NewGuid():N}"[..12] + "@acme.test";

        var created = await app.CliAsync(TestData.StrongPassword, "users", "create", email, "--tenant", tenant, "--password-stdin", "--display-name", "Cli Made", "--json");

        Assert.True(created.ExitCode == 0, created.Error);
        var user = JsonDocument.Parse(created.Output).RootElement;
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.DoesNotContain(TestData.StrongPassword, created.Output + created.Error);
        var id = user.GetProperty("id").GetGuid();
        Assert.False((await new OAuthClient(app).PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        var audit = await app.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.UserId == id && e.Type == "admin_create"));
        Assert.Null(audit.ClientId);
        Assert.StartsWith("IdentityHub CLI (", audit.UserAgent);

        var shown = await app.CliAsync(null, "users", "show", email.ToUpperInvariant(), "--tenant", tenant);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains(id.ToString(), shown.Output);
        Assert.Contains("Cli Made", shown.Output);

        var listed = await app.CliAsync(null, "users", "list", "--tenant", tenant, "--email", email[..8], "--json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        var page = JsonDocument.Parse(listed.Output).RootElement;
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(id, page.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task LockUnlock_DisableEnable_Reset_Delete_EachDoWhatTheySay()
    {
        var (id, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);

        Assert.Equal(0, (await app.CliAsync(null, "users", "lock", email, "--tenant", tenant)).ExitCode);
        Assert.True((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
        var unlocked = await app.CliAsync(null, "users", "unlock", id.ToString(), "--tenant", tenant);
        Assert.Equal(0, unlocked.ExitCode);
        Assert.Contains("unlocked", unlocked.Output);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError);

        var disabled = await app.CliAsync(null, "users", "disable", email, "--tenant", tenant, "--json");
        Assert.Equal(0, disabled.ExitCode);
        Assert.NotEqual(JsonValueKind.Null, JsonDocument.Parse(disabled.Output).RootElement.GetProperty("disabled_at").ValueKind);
        Assert.False(await oauth.IsActiveAsync(tokens.AccessToken!));
        Assert.Equal("The account is disabled.", (await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).ErrorDescription);
        Assert.Equal(0, (await app.CliAsync(null, "users", "enable", email, "--tenant", tenant)).ExitCode);

        var emailed = await app.CliAsync(null, "users", "reset", email, "--tenant", tenant);
        Assert.True(emailed.ExitCode == 0, emailed.Error);
        Assert.NotEmpty(await app.LinkTokenAsync(email));

        var weak = await app.CliAsync("short", "users", "reset", email, "--tenant", tenant, "--password-stdin", "--json");
        Assert.Equal(2, weak.ExitCode);
        Assert.Equal("weak_password", JsonDocument.Parse(weak.Error).RootElement.GetProperty("code").GetString());
        var set = await app.CliAsync(TestData.OtherStrongPassword, "users", "reset", email, "--tenant", tenant, "--password-stdin");
        Assert.True(set.ExitCode == 0, set.Error);
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword)).IsError);

        Assert.Equal(0, (await app.CliAsync(null, "users", "delete", email, "--tenant", tenant)).ExitCode);
        Assert.False(await app.QueryAsync(db => db.Users.AnyAsync(u => u.Id == id)));
        var types = await app.QueryAsync(db => db.AuditEvents.Where(e => e.UserId == id && e.Type.StartsWith("admin_")).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync());
        Assert.Equal(["admin_lock", "admin_unlock", "admin_disable", "admin_enable", "admin_reset_password", "admin_set_password", "admin_delete"], types);
    }

    [Fact]
    public async Task Refusals_BadInputExits2_UnknownUserExits1_AndNoPasswordInArguments()
    {
        var badTenant = await app.CliAsync(null, "users", "list", "--tenant", "not-a-uuid");
        var noTenant = await app.CliAsync(null, "users", "list");
        var passwordAsArgument = await app.CliAsync(null, "users", "create", "x@acme.test", "--tenant", tenant, "--password", TestData.StrongPassword);
        var neither = await app.CliAsync(null, "users", "create", "x@acme.test", "--tenant", tenant);
        var unknown = await app.CliAsync(null, "users", "lock", "nobody@acme.test", "--tenant", tenant, "--json");

        Assert.Equal(2, badTenant.ExitCode);
        Assert.Equal(2, noTenant.ExitCode);
        Assert.Equal(2, passwordAsArgument.ExitCode);
        Assert.Equal(2, neither.ExitCode);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("not_found", JsonDocument.Parse(unknown.Error).RootElement.GetProperty("code").GetString());
        Assert.Equal(0, await app.QueryAsync(db => db.Users.CountAsync(u => u.Email == "x@acme.test")));
    }
}
