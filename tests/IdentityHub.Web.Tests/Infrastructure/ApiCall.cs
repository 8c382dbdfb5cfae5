using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>A raw HTTP call to the account API and its parsed answer.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Message)
{
    public string Code => Body.GetProperty("code").ToString();

    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

public static class ApiCall
{
    public static async Task<ApiResponse> SendAsync(HttpClient http, HttpMethod method, string path, string? accessToken,
        string? body, IDictionary<string, string>? headers = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResponse(response.StatusCode, json, response);
    }

    /// <summary>PUT /api/users/me/password (seed 002) with a step-up token.</summary>
    public static Task<ApiResponse> StepUpChangeAsync(HttpClient http, string? accessToken, string? stepUpToken, string newPassword, string? locale = null) =>
        SendAsync(http, HttpMethod.Put, "/api/users/me/password" + (locale is null ? "" : "?locale=" + Uri.EscapeDataString(locale)), accessToken,
            JsonSerializer.Serialize(new { password = newPassword }),
            stepUpToken is null ? null : new Dictionary<string, string> { ["X-Step-Up-Token"] = stepUpToken });

    /// <summary>POST /api/me/change-password (seed 004).</summary>
    public static Task<ApiResponse> EnvelopeChangeAsync(HttpClient http, string? accessToken, string current, string next) =>
        SendAsync(http, HttpMethod.Post, "/api/me/change-password", accessToken,
            JsonSerializer.Serialize(new { current_password = current, new_password = next }));

    /// <summary>POST /v1/users/me/password with the tenant header.</summary>
    public static Task<ApiResponse> V1ChangeAsync(HttpClient http, string? accessToken, Guid? tenantId, string current, string next) =>
        SendAsync(http, HttpMethod.Post, "/v1/users/me/password", accessToken,
            JsonSerializer.Serialize(new { current_password = current, new_password = next }),
            tenantId is null ? null : new Dictionary<string, string> { ["X-Tenant-ID"] = tenantId.Value.ToString().ToUpperInvariant() });

    /// <summary>
    /// Changes the password of <paramref name="email"/> (tenant A) from <see cref="TestData.StrongPassword"/> to
    /// <see cref="TestData.OtherStrongPassword"/> through <paramref name="dialect"/> (<c>v1</c>, <c>step-up</c>, <c>envelope</c>,
    /// or <c>page</c>, which keeps its default of signing out the other sessions), with a fresh token or browser.
    /// </summary>
    public static async Task ChangeThroughAsync(HubApplication app, string dialect, string email)
    {
        var oauth = new OAuthClient(app);
        if (dialect == "page")
        {
            Assert.Equal(HttpStatusCode.Redirect, (await oauth.SignInAsync("/Account/Login", email, TestData.StrongPassword, TestData.TenantA)).StatusCode);
            var page = await oauth.PostFormAsync("/Account/ChangePassword", new()
            {
                ["CurrentPassword"] = TestData.StrongPassword, ["NewPassword"] = TestData.OtherStrongPassword, ["ConfirmPassword"] = TestData.OtherStrongPassword,
            });
            Assert.Contains("id=\"password-changed\"", await page.Content.ReadAsStringAsync());
            return;
        }
        ApiResponse change;
        if (dialect == "step-up")
        {
            var (access, stepUp) = await oauth.AccessAndStepUpAsync(email);
            change = await ApiCall.StepUpChangeAsync(oauth.Http, access, stepUp, TestData.OtherStrongPassword);
        }
        else
        {
            var access = await oauth.AccessTokenAsync(email);
            change = dialect == "v1"
                ? await ApiCall.V1ChangeAsync(oauth.Http, access, TestData.TenantA, TestData.StrongPassword, TestData.OtherStrongPassword)
                : await ApiCall.EnvelopeChangeAsync(oauth.Http, access, TestData.StrongPassword, TestData.OtherStrongPassword);
        }
        Assert.True(change.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, $"{dialect}: {change.Status} {change.Body}");
    }
}
