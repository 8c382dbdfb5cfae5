using System.Text.Json;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using static IdentityHub.Web.Tests.Administration.AdminApplication;

namespace IdentityHub.Web.Tests.Administration;

/// <summary>
/// Issue 16, item 7: <c>tenants ...</c> and <c>clients ...</c> on the command line, run as an operator runs them
/// (<c>dotnet IdentityHub.Web.dll</c>, a process of its own) on the database of a running host: exit codes 0/1/2,
/// <c>--json</c>, a secret printed once, every action audited as client <c>cli</c>.
/// </summary>
[Collection(AdminApplication.Collection)]
public sealed class AdminCommandLineTests(AdminApplication app)
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task Tenants_CreateShowUpdateList_WithTheirRefusals()
    {
        var policies = Path.Combine(app.Directory, "policies.cedar");
        await File.WriteAllTextAsync(policies, "permit (principal, action, resource);");

        var created = await app.RunCliAsync("tenants", "create", "--name", "Umbrella", "--default-locale", "de",
            "--password-policy", """{"preset": "nist", "min_length": 18}""", "--policies-file", policies, "--attribute", "region=eu", "--json");

        Assert.True(created.ExitCode == 0, created.Error);
        var id = JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetGuid();
        var stored = await app.QueryAsync(db => Task.FromResult(db.Tenants.Single(t => t.Id == id)));
        Assert.Equal(("Umbrella", "de", 18, "eu"), (stored.Name, stored.DefaultLocale, stored.PasswordPolicy.MinLength, stored.Attributes["region"]));
        Assert.Contains(await app.AuditAsync(AuditEventTypes.TenantCreated), e => e.TenantId == id && e.ClientId == null && e.UserAgent!.StartsWith("IdentityHub CLI (", StringComparison.Ordinal));

        var badPolicy = await app.RunCliAsync("tenants", "update", id.ToString(), "--password-policy", """{"preset": "lax"}""");
        var renamed = await app.RunCliAsync("tenants", "update", id.ToString(), "--name", "Umbrella Corp");
        var shown = await app.RunCliAsync("tenants", "show", id.ToString());
        var seeded = await app.RunCliAsync("tenants", "update", TestData.TenantA.ToString(), "--name", "Mine", "--json");
        var listed = await app.RunCliAsync("tenants", "list", "--json");
        var usage = await app.RunCliAsync("tenants", "show", "not-a-uuid");

        Assert.Equal(2, badPolicy.ExitCode);
        Assert.Contains("password_policy", badPolicy.Error);
        Assert.Equal(0, renamed.ExitCode);
        Assert.Contains("name: Umbrella Corp", shown.Output);
        Assert.Equal(1, seeded.ExitCode);
        Assert.Equal("managed_by_configuration", JsonDocument.Parse(seeded.Error).RootElement.GetProperty("code").GetString());
        Assert.Contains(JsonDocument.Parse(listed.Output).RootElement.GetProperty("tenants").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal(2, usage.ExitCode);
    }

    [Fact]
    public async Task Clients_CreateRotateUpdateDelete_TheSecretPrintedOnce_AndWorking()
    {
        var clientId = $"cli-made-{Guid.NewGuid():N}"[..20];

        var created = await app.RunCliAsync("clients", "create", clientId, "--tenant", TestData.TenantA.ToString(),
            "--grant-type", "client_credentials", "--scope", "account");

        Assert.True(created.ExitCode == 0, created.Error);
        var secret = created.Output.Split('\n').Single(l => l.StartsWith("client_secret: ", StringComparison.Ordinal))["client_secret: ".Length..].Trim();
        Assert.False((await ClientCredentialsAsync(oauth, clientId, secret, "account")).IsError);

        var rotated = await app.RunCliAsync("clients", "rotate-secret", clientId, "--json");

        Assert.True(rotated.ExitCode == 0, rotated.Error);
        var newSecret = JsonDocument.Parse(rotated.Output).RootElement.GetProperty("client_secret").GetString()!;
        // The command line is another process: the running server sees the change once its client cache expires (30 s),
        // as another instance would.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(oauth, clientId, secret, "account")).HttpStatusCode);   // invalid_client
        Assert.False((await ClientCredentialsAsync(oauth, clientId, newSecret, "account")).IsError);

        var badUri = await app.RunCliAsync("clients", "update", clientId, "--redirect-uri", "not/absolute");
        var updated = await app.RunCliAsync("clients", "update", clientId, "--origin", "https://app.example.test", "--json");
        var shown = await app.RunCliAsync("clients", "show", clientId, "--json");
        var listed = await app.RunCliAsync("clients", "list");

        Assert.Equal(2, badUri.ExitCode);
        Assert.Contains("redirect_uris", badUri.Error);
        Assert.Equal(0, updated.ExitCode);
        Assert.Equal(["https://app.example.test"], JsonDocument.Parse(shown.Output).RootElement.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()));
        Assert.DoesNotContain(newSecret, shown.Output);
        Assert.Contains(clientId, listed.Output);
        // The server still remembers the row it read before the command line's update: its own write is retried on
        // fresh rows, and keeps what the command line wrote.
        var apiUpdate = await AdminAsync(oauth, HttpMethod.Patch, $"/v1/admin/clients/{clientId}", await app.ClientTokenAsync(oauth, GlobalAdmin), new { display_name = "Reports" });
        AssertStatus(System.Net.HttpStatusCode.OK, apiUpdate);
        Assert.Equal(["https://app.example.test"], apiUpdate.Body.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()));

        var deleted = await app.RunCliAsync("clients", "delete", clientId);
        var again = await app.RunCliAsync("clients", "delete", clientId, "--json");
        var seeded = await app.RunCliAsync("clients", "delete", TestData.CliClient);

        Assert.Equal((0, 1, 1), (deleted.ExitCode, again.ExitCode, seeded.ExitCode));
        Assert.Equal("not_found", JsonDocument.Parse(again.Error).RootElement.GetProperty("code").GetString());
        Assert.Contains("managed_by_configuration", seeded.Error);
        foreach (var type in new[] { AuditEventTypes.ClientCreated, AuditEventTypes.ClientSecretRotated, AuditEventTypes.ClientUpdated, AuditEventTypes.ClientDeleted })
        {
            Assert.Contains(await app.AuditAsync(type), e => e.ClientId == null && e.UserAgent!.StartsWith("IdentityHub CLI (", StringComparison.Ordinal) && e.TenantId == TestData.TenantA);
        }
    }
}
