using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityHub.Errors;

namespace IdentityHub.Web.Administration;

/// <summary>
/// The admin API's JSON, which the command line's <c>--json</c> prints too: snake_case names, and a body with a property
/// the request does not define is refused (a misspelt field, or a <c>client_secret</c>, which is never accepted).
/// </summary>
internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Unset password-policy overrides are left out of the answer.</summary>
    private static readonly JsonSerializerOptions Compact = new(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// The body as a <typeparamref name="T"/>, or <see cref="HubErrorCode.InvalidRequest"/> naming the JSON path
    /// (<c>field</c>) and why (<c>reason</c> <c>invalid_value</c>, the parser's message in <c>error</c>).
    /// </summary>
    public static HubResult<T> Read<T>(JsonElement json) where T : class
    {
        try
        {
            return json.Deserialize<T>(Options) is { } value ? value : Invalid("$", "must be an object");
        }
        catch (JsonException exception)
        {
            return Invalid(exception.Path ?? "$", exception.Message);
        }
        catch (InvalidOperationException exception)   // a string that is not Unicode text
        {
            return Invalid("$", exception.Message);
        }

        static HubError Invalid(string path, string message) => new(HubErrorCode.InvalidRequest, null, ["invalid_value"])
        {
            Context = new Dictionary<string, object?> { ["field"] = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path, ["error"] = message },
        };
    }

    /// <summary>A value as the admin API writes it, for the command line's <c>--json</c>.</summary>
    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    /// <summary>A password policy's preset and the overrides it sets (snake_case).</summary>
    public static JsonElement PolicyElement(Passwords.PasswordPolicyOptions policy) => JsonSerializer.SerializeToElement(policy, Compact);

    /// <summary>A password policy given as JSON (snake_case: <c>{"preset": "nist", "min_length": 16}</c>).</summary>
    public static HubResult<Passwords.PasswordPolicyOptions> ReadPolicy(JsonElement json)
    {
        var policy = Read<Passwords.PasswordPolicyOptions>(json);
        return policy.Succeeded ? policy
            : new HubError(HubErrorCode.InvalidRequest, HubField.PasswordPolicy, ["invalid_password_policy"]) { Context = new Dictionary<string, object?> { ["error"] = policy.Error!.Context!["error"] } };
    }
}
