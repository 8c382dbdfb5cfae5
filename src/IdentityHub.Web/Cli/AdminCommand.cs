using IdentityHub.Administration;
using System.CommandLine;
using IdentityHub.Errors;
using IdentityHub.Web.Administration;

namespace IdentityHub.Web.Cli;

/// <summary>
/// Runs an administrative command (<c>tenants ...</c>, <c>clients ...</c>) on the server's own services, as the operator
/// on the box (<see cref="AdminActor.Cli()"/>: every tenant, audited with no client id and the CLI's user agent), and prints its result: text,
/// or with <c>--json</c> the admin API's JSON for the same request.
/// </summary>
internal static class AdminCommand
{
    public static Task<int> RunAsync<T>(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<HubResult<T>>> action,
        Func<T, string> text, CancellationToken cancellationToken) =>
        CliHost.RunAsync(parse, async (services, ct) =>
        {
            var result = await action(services, ct);
            return result.Succeeded ? CliOutput.Write(parse, AdminJson.ToElement(result.Value), text(result.Value)) : CliOutput.Fail(parse, result);
        }, cancellationToken);

    /// <summary>Bad input found before anything runs (exit code 2), in the same words as the API's 400.</summary>
    public static int BadInput(ParseResult parse, HubField? field, string reason, string? error = null) =>
        CliOutput.Fail(parse, HubResult.Failed(new HubError(HubErrorCode.InvalidRequest, field, [reason])
        {
            Context = error is null ? null : new Dictionary<string, object?> { ["error"] = error },
        }));

    /// <summary>The values of a repeatable option when it was given at all (a list given replaces the stored one), else null.</summary>
    public static List<string>? ListOf(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is null ? null : [.. parse.GetValue(option) ?? []];

    public static Option<string[]> Repeatable(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.OneOrMore };

    /// <summary>One line per list, for text output.</summary>
    public static string Line(string label, IEnumerable<string> values) => $"{label}: {string.Join(" ", values)}";
}
