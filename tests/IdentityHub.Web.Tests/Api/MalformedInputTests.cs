using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using IdentityHub.Audit;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Web.Tests.Api;

/// <summary>
/// Malformed input from outside, sent as raw bytes over a socket where an HTTP client would clean it up: never a
/// 5xx, always a 400 (or 415) in the shape of the endpoint that was called.
/// </summary>
public sealed class MalformedInputTests(HubApplication app) : IClassFixture<HubApplication>
{
    private readonly OAuthClient oauth = new(app);

    /// <summary>A JSON string literal given as raw bytes (quotes included), so it can hold what JSON text may not.</summary>
    private static byte[] Literal(params byte[] inside) => [(byte)'"', .. inside, (byte)'"'];

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>Password values no dialect may answer with a 5xx: invalid UTF-8, escaped lone surrogates, noncharacters, controls.</summary>
    public static TheoryData<string, byte[]> BadPasswordValues => new()
    {
        { "an encoded lone surrogate", Literal(0xED, 0xA0, 0x80) },
        { "a lone F0 lead byte", Literal([.. Ascii("Strong-Pass-9"), 0xF0]) },
        { "latin-1 sent as UTF-8", Literal([.. Ascii("Caf"), 0xE9, .. Ascii("-Strong-Pass-9")]) },
        { "an escaped lone high surrogate", Ascii("\"Strong-Pass-9\\ud800\"") },
        { "an escaped lone low surrogate", Ascii("\"\\udc00Strong-Pass-9\"") },
        { "U+FFFE", Ascii("\"Velvet#Harbor-\\ufffe-73\"") },
        { "U+FFFF", Ascii("\"Velvet#Harbor-\\uffff-73\"") },
        { "a NUL", Ascii("\"Velvet#Harbor-Quartz-73\\u0000\"") },
        { "a raw control byte", Literal([.. Ascii("Velvet#Harbor-Quartz-73"), 0x01]) },
    };

    private sealed record Dialect(string Name, string Method, string Path)
    {
        public string[] Headers(string access, string stepUp) => Name switch
        {
            "v1" => [$"Authorization: Bearer {access}", $"X-Tenant-ID: {TestData.TenantA}"],
            "step-up" => [$"Authorization: Bearer {access}", $"X-Step-Up-Token: {stepUp}"],
            _ => [$"Authorization: Bearer {access}"],
        };

        /// <summary>A body whose new password is <paramref name="value"/> (raw JSON), the current one right.</summary>
        public byte[] WithNewPassword(byte[] value) => Name == "step-up"
            ? [.. Ascii("{\"password\":"), .. value, (byte)'}']
            : [.. Ascii($"{{\"current_password\":\"{TestData.StrongPassword}\",\"new_password\":"), .. value, (byte)'}'];

        /// <summary>A body whose current password is <paramref name="value"/> (raw JSON); the step-up dialect has none.</summary>
        public byte[]? WithCurrentPassword(byte[] value) => Name == "step-up"
            ? null
            : [.. Ascii("{\"current_password\":"), .. value, .. Ascii($",\"new_password\":\"{TestData.OtherStrongPassword}\"}}")];
    }

    private static readonly Dialect[] Dialects =
    [
        new("v1", "POST", "/v1/users/me/password"),
        new("step-up", "PUT", "/api/users/me/password"),
        new("envelope", "POST", "/api/me/change-password"),
    ];

    /// <summary>The response is JSON in the dialect's documented shape, with the status it claims.</summary>
    private static void AssertDialectShape(Dialect dialect, RawResponse response, string because)
    {
        Assert.True(response.Status < 500, $"{dialect.Name}, {because}: {response.Status} {response.Text}");
        Assert.StartsWith("application/json", response.ContentType);
        var body = response.Json;
        switch (dialect.Name)
        {
            case "v1":
                Assert.Matches("^[a-z_]+$", body.GetProperty("code").GetString()!);
                Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind);
                break;
            case "step-up":
                Assert.Matches("^[A-Z_]+$", body.GetProperty("code").GetString()!);
                Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind);
                break;
            default:
                Assert.Equal(response.Status, body.GetProperty("code").GetInt32());
                Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind);
                Assert.Equal(JsonValueKind.Object, body.GetProperty("data").ValueKind);
                break;
        }
    }

    private async Task<(string Access, string StepUp)> TokensAsync()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        return await oauth.AccessAndStepUpAsync(email);
    }

    [Fact]
    public async Task MalformedBodiesAndHeaders_NeverAnswer5xx_InAnyDialect_AndKeepTheDialectsShape()
    {
        var (access, stepUp) = await TokensAsync();
        byte[][] bodies =
        [
            [], Ascii("{"), Ascii("[]"), Ascii("\"text\""), Ascii("null"), Ascii("{\"current_password\": 1, \"new_password\": {}, \"password\": []}"),
            Ascii(new string('[', 200) + new string(']', 200)), [0xEF, 0xBB, 0xBF, .. Ascii("{}")], [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00],
            Ascii("{\"current_password\":\"a\",\"current_password\":\"b\"}"),
        ];
        string?[] contentTypes = ["application/json", "application/json; charset=utf-8", "application/json;;", "application/json; charset=\"", null];
        var sent = 0;
        foreach (var dialect in Dialects)
        {
            foreach (var body in bodies)
            {
                foreach (var type in contentTypes)
                {
                    string[] headers = type is null ? dialect.Headers(access, stepUp) : [.. dialect.Headers(access, stepUp), $"Content-Type: {type}"];
                    var response = await RawHttp.SendAsync(app.Address, dialect.Method, dialect.Path, headers, body);
                    AssertDialectShape(dialect, response, $"body {Convert.ToHexString(body.Take(16).ToArray())} as {type ?? "no content type"}");
                    Assert.Contains(response.Status, new[] { 400, 415 });
                    sent++;
                }
            }
            // Repeated and garbage headers of every kind the dialects read.
            foreach (var extra in new[] { "X-Tenant-ID: not-a-uuid", "X-Tenant-ID: {}", "Authorization: Bearer", "X-Step-Up-Token: %ff" })
            {
                var response = await RawHttp.SendAsync(app.Address, dialect.Method, dialect.Path + "?locale=%FF%FE",
                    [.. dialect.Headers(access, stepUp), extra, "Content-Type: application/json"], Ascii("{}"));
                AssertDialectShape(dialect, response, extra);
                sent++;
            }
        }
        Assert.True(sent > 150);
    }

    [Theory]
    [MemberData(nameof(BadPasswordValues))]
    public async Task BadPasswordValues_Answer400_InEveryDialect_AndChangeNothing(string what, byte[] value)
    {
        var (access, stepUp) = await TokensAsync();
        foreach (var dialect in Dialects)
        {
            var asNew = await RawHttp.SendAsync(app.Address, dialect.Method, dialect.Path,
                [.. dialect.Headers(access, stepUp), "Content-Type: application/json"], dialect.WithNewPassword(value));
            AssertDialectShape(dialect, asNew, $"new password with {what}");
            Assert.Equal(400, asNew.Status);

            if (dialect.WithCurrentPassword(value) is { } body)
            {
                var asCurrent = await RawHttp.SendAsync(app.Address, dialect.Method, dialect.Path,
                    [.. dialect.Headers(access, stepUp), "Content-Type: application/json"], body);
                AssertDialectShape(dialect, asCurrent, $"current password with {what}");
                Assert.Equal(400, asCurrent.Status);
            }
        }
        // Nothing changed: the step-up token was not consumed and the access token still works.
        var change = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        Assert.Equal(HttpStatusCode.OK, change.Status);
    }

    [Fact]
    public async Task InvalidUtf8_IsReportedOnItsField_AndNoncharactersAsARuleViolation()
    {
        var (access, stepUp) = await TokensAsync();
        var v1 = Dialects[0];
        var encoding = await RawHttp.SendAsync(app.Address, v1.Method, v1.Path, [.. v1.Headers(access, stepUp), "Content-Type: application/json"],
            v1.WithCurrentPassword(Ascii("\"\\ud800\""))!);
        var noncharacter = await RawHttp.SendAsync(app.Address, v1.Method, v1.Path, [.. v1.Headers(access, stepUp), "Content-Type: application/json"],
            v1.WithNewPassword(Ascii("\"Velvet#Harbor-\\uffff-73\"")));
        var stepUpDialect = await RawHttp.SendAsync(app.Address, "PUT", "/api/users/me/password", [.. Dialects[1].Headers(access, stepUp), "Content-Type: application/json"],
            Dialects[1].WithNewPassword(Literal(0xED, 0xA0, 0x80)));
        var envelope = await RawHttp.SendAsync(app.Address, "POST", "/api/me/change-password", [.. Dialects[2].Headers(access, stepUp), "Content-Type: application/json"],
            Dialects[2].WithNewPassword(Ascii("\"Velvet#Harbor-\\ufffe-73\"")));

        Assert.Equal("invalid_request", encoding.Json.GetProperty("code").GetString());
        Assert.Equal("current_password", encoding.Json.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal("invalid_encoding", encoding.Json.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal("weak_password", noncharacter.Json.GetProperty("code").GetString());
        Assert.Equal(["invalid_characters"], noncharacter.Json.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("VALIDATION_ERROR", stepUpDialect.Json.GetProperty("code").GetString());
        Assert.Equal("password", stepUpDialect.Json.GetProperty("field").GetString());
        Assert.Equal(["invalid_encoding"], stepUpDialect.Json.GetProperty("violations").EnumerateArray().Select(r => r.GetString()));
        var errors = envelope.Json.GetProperty("data").GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("key").GetString() == "new_password" && e.GetProperty("message").GetString() == "invalid_characters");
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task ABodyThatIsNotJson_Answers415_InTheDialectsShape(string? contentType)
    {
        var (access, stepUp) = await TokensAsync();
        foreach (var dialect in Dialects)
        {
            string[] headers = contentType is null ? dialect.Headers(access, stepUp) : [.. dialect.Headers(access, stepUp), $"Content-Type: {contentType}"];
            var response = await RawHttp.SendAsync(app.Address, dialect.Method, dialect.Path, headers, Ascii("<password>x</password>"));

            Assert.Equal(415, response.Status);
            AssertDialectShape(dialect, response, contentType ?? "no content type");
            Assert.Equal(dialect.Name switch { "v1" => "unsupported_media_type", "step-up" => "UNSUPPORTED_MEDIA_TYPE", _ => "415" },
                response.Json.GetProperty("code").ToString());
        }
    }

    public static TheoryData<string, string[], byte[]> UnreadableForms => new()
    {
        { "a NUL in a key", ["Content-Type: application/x-www-form-urlencoded"], Ascii("grant_type=client_credentials&a%00b=1") },
        { "a NUL in a value", ["Content-Type: application/x-www-form-urlencoded"], Ascii("grant_type=client_credentials&scope=a%00") },
        { "charset=utf-7", ["Content-Type: application/x-www-form-urlencoded; charset=utf-7"], Ascii("grant_type=client_credentials") },
        { "a repeated Content-Type", ["Content-Type: application/x-www-form-urlencoded", "Content-Type: application/x-www-form-urlencoded"], Ascii("grant_type=client_credentials") },
        { "a malformed Content-Type", ["Content-Type: application/x-www-form-urlencoded; ;=; charset"], Ascii("grant_type=client_credentials") },
        { "more values than the limit", ["Content-Type: application/x-www-form-urlencoded"], Ascii("grant_type=client_credentials&" + string.Join('&', Enumerable.Range(0, 1100).Select(i => $"k{i}=v"))) },
        { "a key over the limit", ["Content-Type: application/x-www-form-urlencoded"], Ascii("grant_type=client_credentials&" + new string('k', 3000) + "=v") },
        { "a value over the limit", ["Content-Type: application/x-www-form-urlencoded"], Ascii("grant_type=client_credentials&v=" + new string('v', 4 * 1024 * 1024 + 10)) },
        { "a broken multipart body", ["Content-Type: multipart/form-data; boundary=zz"], Ascii("--zz\r\nContent-Disposition: form-data\r\n\r\nx") },
    };

    [Theory]
    [MemberData(nameof(UnreadableForms))]
    public async Task TokenEndpoint_UnreadableForm_Answers400_invalid_request_AsOAuthJson(string what, string[] headers, byte[] body)
    {
        var basic = "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{TestData.CliClient}:{TestData.CliSecret}"));

        foreach (var endpoint in new[] { "/connect/token", "/connect/introspect", "/connect/revoke" })
        {
            var response = await RawHttp.SendAsync(app.Address, "POST", endpoint, [basic, .. headers], body);

            Assert.True(response.Status == 400, $"{endpoint}, {what}: {response.Status} {response.Text}");
            Assert.StartsWith("application/json", response.ContentType);
            Assert.Equal("invalid_request", response.Json.GetProperty("error").GetString());
            Assert.Equal("no-store", response.Headers["cache-control"]);
        }
        // A page refuses it with its status page, not a 500.
        var page = await RawHttp.SendAsync(app.Address, "POST", "/Account/Login", headers, body);
        Assert.Equal(400, page.Status);
    }

    [Fact]
    public async Task ControlCharacters_NeverVerify_AtAnyEntryPoint_AndAreRefusedInNewPasswords()
    {
        var (_, email) = await app.CreateUserAsync(TestData.TenantA);
        var nul = TestData.StrongPassword + "\0";
        var soh = TestData.StrongPassword + "\u0001";

        // Password grant and sign-in page: the right password followed by a control character is a wrong password.
        // A NUL cannot even be sent in a form (%00 makes the form unreadable: 400 invalid_request); SOH reaches the
        // verifier, which refuses it.
        var grantWithNul = await oauth.PasswordGrantAsync(email, nul);
        Assert.True(grantWithNul.IsError && grantWithNul.AccessToken is null);
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, soh)).Error);
        var page = await oauth.SignInAsync($"/Account/Login?tenant={TestData.TenantA}", email, soh);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain(page.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(".IdentityHub.Session"));

        // Step-up (both grant forms) and the current password of the two dialects that take it.
        var access = await oauth.AccessTokenAsync(email);
        Assert.Equal("invalid_grant", (await oauth.StepUpAsync(access, soh)).Error);
        Assert.Equal("invalid_grant", (await oauth.TokenExchangeStepUpAsync(access, soh)).Error);
        var v1 = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, nul, TestData.OtherStrongPassword);
        Assert.Equal("invalid_current_password", v1.Code);
        var envelope = await ApiCall.EnvelopeChangeAsync(oauth.Http, access, nul, TestData.OtherStrongPassword);
        Assert.Equal("incorrect_password", envelope.Body.GetProperty("data").GetProperty("errors")[0].GetProperty("message").GetString());

        // As a new password: a rule violation listed with the others, in every dialect.
        var weak = await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, "Velvet#Harbor-Quartz-73\t");
        Assert.Equal(["invalid_characters"], weak.Body.GetProperty("details").GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        var stepUp = await oauth.StepUpAsync(access, TestData.StrongPassword);
        var stepUpChange = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp.AccessToken, "Velvet#Harbor-Quartz-73\u007f");
        Assert.Equal("VALIDATION_ERROR", stepUpChange.Code);
        Assert.Contains("invalid_characters", stepUpChange.Body.GetProperty("violations").EnumerateArray().Select(r => r.GetString()));

        // The right password still works: the refused candidates were counted as failures, never as the password.
        Assert.False((await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).IsError);
    }

    [Fact]
    public async Task ParallelWrongPasswords_AtThePasswordGrant_AreEachCountedAndAudited_NoneIsA500_AndTheAccountLocks()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var disco = await oauth.DiscoverAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
        {
            var http = app.CreateBrowserlessClient();
            return http.RequestPasswordTokenAsync(new PasswordTokenRequest
            {
                Address = disco.TokenEndpoint, ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret,
                UserName = email, Password = $"Wrong-Guess-{i}", Scope = "openid",
            });
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.HttpStatusCode));
        Assert.All(responses, r => Assert.Equal("invalid_grant", r.Error));
        Assert.Equal(20, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == userId && e.Type == AuditEventTypes.SignInFailed)));
        var user = await app.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "20 wrong guesses must lock the account (5 allowed)");
        Assert.Equal("invalid_grant", (await oauth.PasswordGrantAsync(email, TestData.StrongPassword)).Error);
    }
}
