using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.AccountPolicies;

/// <summary>Per-tenant Cedar policies deciding password changes, with their notices, in every dialect.</summary>
public sealed class AccountPolicyTests(PoliciesApplication app) : IClassFixture<PoliciesApplication>
{
    private readonly OAuthClient oauth = new(app);

    private async Task<(string Email, string Token)> UserAsync(Guid tenant, string? domain = null)
    {
        var (_, email) = await app.CreateUserAsync(tenant, domain: domain);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword, PoliciesApplication.ClientOf(tenant), TestData.CliSecret, "openid account");
        Assert.False(tokens.IsError, tokens.Error);
        return (email, tokens.AccessToken!);
    }

    [Fact]
    public async Task DefaultPolicies_LetUsersChangeTheirOwnPassword()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var response = await ApiCall.V1ChangeAsync(oauth.Http, await oauth.AccessTokenAsync(email), TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.NoContent, response.Status);
    }

    [Fact]
    public async Task ChangeFreeze_Denies_InEveryDialect_WithTheNotice_AndChangesNothing()
    {
        var (email, token) = await UserAsync(PoliciesApplication.Frozen);

        var v1 = await ApiCall.V1ChangeAsync(oauth.Http, token, PoliciesApplication.Frozen, TestData.StrongPassword, TestData.OtherStrongPassword);
        var stepUp = await ApiCall.StepUpChangeAsync(oauth.Http, token, (await oauth.StepUpAsync(token, TestData.StrongPassword,
            PoliciesApplication.ClientOf(PoliciesApplication.Frozen), TestData.CliSecret)).AccessToken, TestData.OtherStrongPassword);
        var envelope = await ApiCall.EnvelopeChangeAsync(oauth.Http, token, TestData.StrongPassword, TestData.OtherStrongPassword);

        const string notice = "Password changes are frozen until the audit ends.";
        Assert.Equal(HttpStatusCode.Forbidden, v1.Status);
        Assert.Equal("forbidden_by_policy", v1.Code);
        Assert.Equal([notice], v1.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, stepUp.Status);
        Assert.Equal("FORBIDDEN_BY_POLICY", stepUp.Code);
        Assert.Equal([notice], stepUp.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, envelope.Status);
        Assert.Equal(403, envelope.Body.GetProperty("code").GetInt32());
        Assert.Equal([notice], envelope.Body.GetProperty("data").GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword, PoliciesApplication.ClientOf(PoliciesApplication.Frozen), TestData.CliSecret, "openid")).IsError);
    }

    [Fact]
    public async Task Notice_IsLocalized_WhereTheAnnotationExists()
    {
        var (_, token) = await UserAsync(PoliciesApplication.Frozen);

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/users/me/password", token,
            JsonSerializer.Serialize(new { current_password = TestData.StrongPassword, new_password = TestData.OtherStrongPassword }),
            new Dictionary<string, string> { ["X-Tenant-ID"] = PoliciesApplication.Frozen.ToString(), ["Accept-Language"] = "fr-CA" });

        Assert.Equal(["Les changements de mot de passe sont gelés jusqu'à la fin de l'audit."],
            response.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task StaleAuthentication_IsDenied_UntilAFreshStepUp()
    {
        var (email, token) = await UserAsync(PoliciesApplication.FreshStepUp);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        try
        {
            var stale = await ApiCall.V1ChangeAsync(oauth.Http, token, PoliciesApplication.FreshStepUp, TestData.StrongPassword, TestData.OtherStrongPassword);
            Assert.Equal(HttpStatusCode.Forbidden, stale.Status);
            Assert.Equal(["Sign in again: your last sign-in is more than a minute old."], stale.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));

            // A step-up token proves a fresh authentication: the same policy now allows it.
            var stepUp = await oauth.StepUpAsync(token, TestData.StrongPassword, PoliciesApplication.ClientOf(PoliciesApplication.FreshStepUp), TestData.CliSecret);
            var fresh = await ApiCall.StepUpChangeAsync(oauth.Http, token, stepUp.AccessToken, TestData.OtherStrongPassword);
            Assert.Equal(HttpStatusCode.OK, fresh.Status);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-2));
        }
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.OtherStrongPassword, PoliciesApplication.ClientOf(PoliciesApplication.FreshStepUp), TestData.CliSecret, "openid")).IsError);
    }

    [Fact]
    public async Task ContractorEmails_AreDenied_OthersAllowed()
    {
        var (_, contractor) = await UserAsync(PoliciesApplication.NoContractors, "contractors.test");
        var (_, employee) = await UserAsync(PoliciesApplication.NoContractors);

        var denied = await ApiCall.EnvelopeChangeAsync(oauth.Http, contractor, TestData.StrongPassword, TestData.OtherStrongPassword);
        var allowed = await ApiCall.EnvelopeChangeAsync(oauth.Http, employee, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task AForbidThatErrors_Denies_FailClosed_AndIsLogged()
    {
        var (_, token) = await UserAsync(PoliciesApplication.Broken);

        var response = await ApiCall.V1ChangeAsync(oauth.Http, token, PoliciesApplication.Broken, TestData.StrongPassword, TestData.OtherStrongPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("forbidden_by_policy", response.Code);
        Assert.Equal(["A broken rule blocks changes."], response.Body.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(app.Logs.Lines, line => line.Contains("Policy broken-forbid of tenant") && line.Contains("failed to evaluate"));
    }

    private const string EvaluationRequest = """
        {"policies": "@id(\"freeze\") forbid (principal, action == Action::\"ChangePassword\", resource) when { principal.tenant.change_freeze };\npermit (principal, action, resource);",
         "entities": [{"uid": {"type": "User", "id": "u1"}, "attrs": {"tenant": {"__entity": {"type": "Tenant", "id": "t1"}}}, "parents": []},
                      {"uid": {"type": "Tenant", "id": "t1"}, "attrs": {"change_freeze": true}, "parents": []}],
         "principal": {"type": "User", "id": "u1"}, "action": {"type": "Action", "id": "ChangePassword"},
         "resource": {"type": "Account", "id": "u1"}, "context": {}}
        """;

    private async Task<string> AdminTokenAsync(string scope = "admin")
    {
        var disco = await oauth.DiscoverAsync();
        var token = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = disco.TokenEndpoint, ClientId = PoliciesApplication.AdminClient, ClientSecret = PoliciesApplication.AdminSecret, Scope = scope,
        });
        Assert.False(token.IsError, token.Error);
        return token.AccessToken!;
    }

    [Fact]
    public async Task AdminEvaluate_AnswersDecisionReasonsErrors()
    {
        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", await AdminTokenAsync(), EvaluationRequest);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("deny", response.Body.GetProperty("decision").GetString());
        Assert.Equal(["freeze"], response.Body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Empty(response.Body.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task AdminEvaluate_NeedsTheAdminScope_AndReportsParseErrorsWithLineAndColumn()
    {
        var noScope = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", await AdminTokenAsync(""), EvaluationRequest);
        var userToken = await UserAsync(PoliciesApplication.Frozen);
        var asUser = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", userToken.Token, EvaluationRequest);
        var anonymous = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", null, EvaluationRequest);
        var broken = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", await AdminTokenAsync(),
            EvaluationRequest.Replace("permit (principal, action, resource);", "permit (principal,\\n action resource);"));

        Assert.Equal(HttpStatusCode.Forbidden, noScope.Status);
        Assert.Equal("insufficient_scope", noScope.Code);
        Assert.Equal(HttpStatusCode.Forbidden, asUser.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.Equal("parse_error", broken.Body.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(3, broken.Body.GetProperty("details").GetProperty("line").GetInt32());
        Assert.True(broken.Body.GetProperty("details").GetProperty("column").GetInt32() > 0);
    }

    [Fact]
    public async Task AdminEvaluate_TwentyThousandNestedParentheses_IsAParseError_AndTheHostStillAnswers()
    {
        const string head = "permit (principal, action, resource) when { ";
        var token = await AdminTokenAsync();
        string Request(string condition) => JsonSerializer.Serialize(new
        {
            policies = head + condition + " };",
            principal = new { type = "User", id = "u1" }, action = new { type = "Action", id = "ChangePassword" }, resource = new { type = "Account", id = "u1" },
        });

        // About 40 KB of parentheses, and 160 KB of a flat && chain (a deep tree without any nesting in the text).
        var parentheses = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", token,
            Request(new string('(', 20_000) + "true" + new string(')', 20_000)));
        var chain = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", token,
            Request(string.Join(" && ", Enumerable.Repeat("true", 20_000))));

        foreach (var response in new[] { parentheses, chain })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("invalid_request", response.Code);
            var details = response.Body.GetProperty("details");
            Assert.Equal("parse_error", details.GetProperty("reason").GetString());
            Assert.Equal(1, details.GetProperty("line").GetInt32());
            Assert.True(details.GetProperty("column").GetInt32() > head.Length);
            Assert.Contains("levels deep", details.GetProperty("error").GetString());
        }
        // The parenthesis that opens one level too many.
        Assert.Equal(head.Length + IdentityHub.Cedar.PolicySet.MaxNestingDepth + 1, parentheses.Body.GetProperty("details").GetProperty("column").GetInt32());

        // The host is alive and well.
        Assert.Equal(HttpStatusCode.OK, (await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", token, EvaluationRequest)).Status);
        Assert.Equal(HttpStatusCode.OK, (await oauth.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task DuplicatePolicyIds_AreRefused_ByTheAdminEndpoint_AndTheCli()
    {
        var duplicated = EvaluationRequest.Replace("permit (principal, action, resource);", "@id(\\\"freeze\\\") permit (principal, action, resource);");

        var response = await ApiCall.SendAsync(oauth.Http, HttpMethod.Post, "/v1/admin/policies/evaluate", await AdminTokenAsync(), duplicated);
        var (_, cliError, cliExit) = await RunCliAsync(duplicated);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var details = response.Body.GetProperty("details");
        Assert.Equal("parse_error", details.GetProperty("reason").GetString());
        Assert.Equal(2, details.GetProperty("line").GetInt32());
        Assert.Equal(2, details.GetProperty("column").GetInt32());
        Assert.Equal(2, cliExit);
        Assert.Contains("duplicate policy id", cliError);
    }

    [Fact]
    public async Task Cli_EvaluatesOffline_FromStandardInput()
    {
        var (output, error, exit) = await RunCliAsync(EvaluationRequest);
        Assert.Equal(0, exit);
        using var answer = JsonDocument.Parse(output);
        Assert.Equal("deny", answer.RootElement.GetProperty("decision").GetString());
        Assert.Equal(["freeze"], answer.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        var (_, parseError, parseExit) = await RunCliAsync(EvaluationRequest.Replace("permit (principal, action, resource);", "permit (principal"));
        Assert.Equal(2, parseExit);
        Assert.Contains("line 2", parseError);
        Assert.Empty(error);
    }

    private static async Task<(string Output, string Error, int Exit)> RunCliAsync(string input)
    {
        var web = typeof(Program).Assembly.Location;
        using var process = Process.Start(new ProcessStartInfo("dotnet", [web, "policies", "evaluate"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output, await error, process.ExitCode);
    }
}
