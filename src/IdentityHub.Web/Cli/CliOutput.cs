using System.CommandLine;
using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Cli;

/// <summary>What a command prints and the exit code it returns: text for people, JSON with <c>--json</c>.</summary>
internal static class CliOutput
{
    public const int Done = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary><c>--json</c>, on every command.</summary>
    public static Option<bool> Json { get; } = new("--json") { Description = "Print the result (or the error) as JSON, for scripts", Recursive = true };

    /// <summary>Prints <paramref name="value"/> as JSON with <c>--json</c>, else <paramref name="text"/>; exit code 0.</summary>
    public static int Write(ParseResult parse, object value, string text)
    {
        parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(Json) ? JsonSerializer.Serialize(value, JsonOptions) : text);
        return Done;
    }

    /// <summary>
    /// Prints a failure to standard error, as the v1 API's error body with <c>--json</c>, else its code and message; exit
    /// code 2 for bad input (what the API answers with 400 or 415), 1 for everything else.
    /// </summary>
    public static int Fail(ParseResult parse, HubResult failure)
    {
        var (status, body) = V1Dialect.Instance.Describe(failure.Errors[0]);
        var details = body.Details is { Count: > 0 } d ? " (" + string.Join(", ", d.Select(p => $"{p.Key}: {Format(p.Value)}")) + ")" : "";
        parse.InvocationConfiguration.Error.WriteLine(parse.GetValue(Json)
            ? JsonSerializer.Serialize(body, JsonOptions)
            : $"error: {body.Code}: {body.Message}{details}{string.Concat(body.Notices.Select(n => " " + n))}");
        return status is StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType ? BadInput : Failed;
    }

    private static string? Format(object? value) => value is IEnumerable<string> items ? string.Join(" ", items) : value?.ToString();
}
