using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.Web.Api;
using IdentityHub.Web.Api.Envelope;
using IdentityHub.Web.Api.StepUp;
using IdentityHub.Web.Api.V1;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Web.Tests.Api;

/// <summary>
/// Every core error code through every dialect's one mapper: each has a deliberate mapping (a mapper throws for a
/// code it does not know, so a new code without one fails here), and only the server's own failures answer 5xx.
/// </summary>
public sealed class DialectMappingTests
{
    private static readonly AccountApiDialect[] Dialects = [V1Dialect.Instance, new StepUpDialect(TimeSpan.FromMinutes(5)), EnvelopeDialect.Instance];

    /// <summary>The codes that mean the server failed; every other code is the client's or the account's, never a 5xx but 503.</summary>
    private static readonly HubErrorCode[] ServerFailures =
        [HubErrorCode.DatabaseFailure, HubErrorCode.HashFailure, HubErrorCode.InvalidPrincipalDocument, HubErrorCode.Internal];

    public static TheoryData<HubErrorCode> Codes() => [.. Enum.GetValues<HubErrorCode>()];

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task EveryCode_HasADeliberateMapping_InEveryDialect(HubErrorCode code)
    {
        foreach (var dialect in Dialects)
        {
            var (status, body) = await RenderAsync(dialect, new HubError(code) { RetryAfterSeconds = 3 });
            var name = $"{code} in {dialect.GetType().Name}";
            if (ServerFailures.Contains(code))
            {
                Assert.True(status == 500, $"{name}: {status}");
            }
            else
            {
                Assert.True(status is >= 400 and < 500 or 503, $"{name} answered {status}");
                Assert.True(status != 503 || code == HubErrorCode.ServiceBusy, $"{name} answered 503");
            }
            // The dialect's own shape: seed 000 and 002 name the code, seed 004 wraps everything in its envelope.
            if (dialect is EnvelopeDialect)
            {
                Assert.Equal(status, body.GetProperty("code").GetInt32());
                Assert.Equal(JsonValueKind.Object, body.GetProperty("data").ValueKind);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(body.GetProperty("code").GetString()), name);
                Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()), name);
            }
        }
    }

    [Fact]
    public async Task FieldErrors_UseEachDialectsOwnFieldNames()
    {
        var weak = new HubError(HubErrorCode.WeakPassword, HubField.NewPassword, ["min_length"]);
        Assert.Equal("password", (await RenderAsync(new StepUpDialect(TimeSpan.FromMinutes(5)), weak)).Body.GetProperty("field").GetString());
        var wrongLocale = new HubError(HubErrorCode.InvalidRequest, HubField.Locale, ["invalid_locale"]);
        Assert.Equal("locale", (await RenderAsync(V1Dialect.Instance, wrongLocale)).Body.GetProperty("details").GetProperty("field").GetString());
        var envelope = (await RenderAsync(EnvelopeDialect.Instance, wrongLocale)).Body;
        Assert.Equal("new_password", envelope.GetProperty("data").GetProperty("errors")[0].GetProperty("key").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> RenderAsync(AccountApiDialect dialect, HubError error)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await dialect.ToResult([error]).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone());
    }
}
