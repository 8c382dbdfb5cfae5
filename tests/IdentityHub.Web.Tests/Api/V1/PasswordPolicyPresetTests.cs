using System.Net;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Api.V1;

/// <summary>A host with one tenant per preset, each with a client bound to it.</summary>
public sealed class PresetsApplication : HubApplication
{
    public static readonly Guid Strict = Guid.Parse("10000000-0000-4000-8000-000000000001");
    public static readonly Guid Standard = Guid.Parse("10000000-0000-4000-8000-000000000002");
    public static readonly Guid Nist = Guid.Parse("10000000-0000-4000-8000-000000000003");

    public static string ClientOf(string preset) => $"cli-{preset}";

    protected override void Configure(Dictionary<string, object?> settings)
    {
        var presets = new[] { ("strict", Strict), ("standard", Standard), ("nist", Nist) };
        settings["Seed"] = new
        {
            Tenants = presets.Select(p => new { Id = p.Item2, Name = $"Tenant {p.Item1}", PasswordPolicy = new { Preset = p.Item1 } }).ToArray(),
            Clients = presets.Select(p => new
            {
                ClientId = ClientOf(p.Item1), ClientSecret = TestData.CliSecret, TenantId = p.Item2,
                GrantTypes = new[] { "password" }, StepUp = true, Scopes = new[] { "openid", "account" },
            }).ToArray(),
        };
    }

    public static Guid TenantOf(string preset) => preset switch { "strict" => Strict, "standard" => Standard, _ => Nist };
}

/// <summary>Every preset, end to end, through each of the three dialects: the same verdict in three shapes.</summary>
public sealed class PasswordPolicyPresetTests(PresetsApplication app) : IClassFixture<PresetsApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Theory]
    // strict (seed 004): 12-128, upper, lower, digit, special, no runs, no common/weak, no user info
    [InlineData("strict", "Quartz-Lantern-57#", new string[0])]
    [InlineData("strict", "Kx9!mQ2p", new[] { "min_length" })]
    [InlineData("strict", "password1234", new[] { "missing_uppercase", "missing_special", "common_password", "weak_pattern" })]
    // standard (seed 002): 8+, upper, lower, digit, one of its special characters
    [InlineData("standard", "Kx9!mQ2p", new string[0])]
    [InlineData("standard", "kx9mq2pz", new[] { "missing_uppercase", "missing_special" })]
    // nist (SP 800-63B): 15-128, no composition rules, blocklist
    [InlineData("nist", "purple monkey dishwasher sunrise", new string[0])]
    [InlineData("nist", "Kx9!mQ2p", new[] { "min_length" })]
    public async Task Preset_GivesTheSameVerdict_InEveryDialect(string preset, string candidate, string[] expected)
    {
        foreach (var dialect in new[] { "v1", "step-up", "envelope" })
        {
            var rules = await ChangeAsync(preset, dialect, candidate);

            Assert.True(expected.Order().SequenceEqual(rules.Order()),
                $"{preset}/{dialect}: expected [{string.Join(", ", expected)}] but got [{string.Join(", ", rules)}]");
        }
    }

    [Theory]
    [InlineData("strict", 12, 128)]
    [InlineData("standard", 8, 128)]
    [InlineData("nist", 15, 128)]
    public async Task PasswordPolicyEndpoint_ReturnsTheTenantsPolicy(string preset, int min, int max)
    {
        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Get, "/v1/password-policy", null, null,
            new Dictionary<string, string> { ["X-Tenant-ID"] = PresetsApplication.TenantOf(preset).ToString() });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var policy = response.Body.GetProperty("policy");
        Assert.Equal(preset, policy.GetProperty("preset").GetString());
        Assert.Equal(min, policy.GetProperty("min_length").GetInt32());
        Assert.Equal(max, policy.GetProperty("max_length").GetInt32());
        Assert.Equal(preset != "nist", policy.GetProperty("require_uppercase").GetBoolean());
        Assert.Equal(5, policy.GetProperty("history_depth").GetInt32());
    }

    [Fact]
    public async Task PasswordPolicyEndpoint_UnknownTenant_Returns404_MissingHeader_Returns400()
    {
        var unknown = await ApiCall.SendAsync(oauth.Http, HttpMethod.Get, "/v1/password-policy", null, null,
            new Dictionary<string, string> { ["X-Tenant-ID"] = Guid.NewGuid().ToString() });
        var missing = await ApiCall.SendAsync(oauth.Http, HttpMethod.Get, "/v1/password-policy", null, null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found", unknown.Code);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("invalid_request", missing.Code);
    }

    /// <summary>A first password every preset accepts (standard's special characters exclude '-').</summary>
    private const string Initial = "Correct#Horse!Battery9";

    /// <summary>Changes a fresh user's password through one dialect; returns the violated rules (empty when accepted).</summary>
    private async Task<List<string>> ChangeAsync(string preset, string dialect, string candidate)
    {
        var tenant = PresetsApplication.TenantOf(preset);
        var (_, email) = await app.CreateUserAsync(tenant, Initial);
        var client = PresetsApplication.ClientOf(preset);
        var tokens = await oauth.PasswordGrantAsync(email, Initial, client, TestData.CliSecret, "openid account");
        Assert.False(tokens.IsError, tokens.Error);
        switch (dialect)
        {
            case "v1":
                var v1 = await ApiCall.V1ChangeAsync(oauth.Http, tokens.AccessToken, tenant, Initial, candidate);
                return v1.Status == HttpStatusCode.NoContent ? [] : Rules(v1, "weak_password", b => b.GetProperty("details").GetProperty("rules"));
            case "step-up":
                var stepUp = await oauth.StepUpAsync(tokens.AccessToken!, Initial, client, TestData.CliSecret);
                Assert.False(stepUp.IsError, stepUp.Error);
                var su = await ApiCall.StepUpChangeAsync(oauth.Http, tokens.AccessToken, stepUp.AccessToken, candidate);
                return su.Status == HttpStatusCode.OK ? [] : Rules(su, "VALIDATION_ERROR", b => b.GetProperty("violations"));
            default:
                var envelope = await ApiCall.EnvelopeChangeAsync(oauth.Http, tokens.AccessToken, Initial, candidate);
                if (envelope.Status == HttpStatusCode.OK)
                {
                    return [];
                }
                Assert.Equal(HttpStatusCode.BadRequest, envelope.Status);
                return envelope.Body.GetProperty("data").GetProperty("errors").EnumerateArray()
                    .Select(e => { Assert.Equal("new_password", e.GetProperty("key").GetString()); return e.GetProperty("message").GetString()!; })
                    .ToList();
        }
    }

    private static List<string> Rules(ApiResponse response, string code, Func<System.Text.Json.JsonElement, System.Text.Json.JsonElement> list)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(code, response.Code);
        return list(response.Body).EnumerateArray().Select(r => r.GetString()!).ToList();
    }
}
