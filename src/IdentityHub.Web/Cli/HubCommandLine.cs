using System.CommandLine;
using IdentityHub.Web.Api.Admin;
using IdentityHub.Web.Seeding;

namespace IdentityHub.Web.Cli;

/// <summary>
/// The operator's command line, on the box: <c>dotnet IdentityHub.Web.dll &lt;command&gt;</c>, or
/// <c>dotnet run --project src/IdentityHub.Web -- &lt;command&gt;</c> from the repository, with <c>--help</c> at every
/// level. The commands work through the same services as the server (<see cref="CliHost"/>), on the database and keys
/// its settings name. Exit codes: 0 done; 1 refused or failed (not found, a policy, the database); 2 bad input (usage,
/// a malformed value). <c>--json</c> prints results and errors as JSON for scripts.
/// </summary>
/// <remarks>
/// Tokens the commands do not define are host settings, as for the server: <c>--IdentityHub:SettingsFile=fixture.json</c>,
/// <c>--contentRoot dir</c>, <c>--environment Production</c>. A stray word that is neither is refused (exit 2), so a
/// misspelt argument is never silently taken for a setting.
/// </remarks>
internal static class HubCommandLine
{
    private static readonly HashSet<string> Commands = ["users", "clients", "tenants", "policies", "migrate", "--help", "-h", "-?"];

    public static bool Matches(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("IdentityHub's command line: administer tenants, users and clients, migrate the database, evaluate policies.")
        {
            CliOutput.Json,
        };
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create(input));
        root.Subcommands.Add(TenantCommands.Create());
        root.Subcommands.Add(ClientCommands.Create());
        root.Subcommands.Add(UserCommands.Create(input));
        AllowHostSettings(root);
        var parse = root.Parse(args);
        var problems = parse.Errors.Select(e => e.Message).Concat(StrayWords(parse.UnmatchedTokens)).ToList();
        if (problems.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem);
            }
            await error.WriteLineAsync("Run the command with --help for its usage.");
            return CliOutput.BadInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The host's own arguments, which the commands pass to <see cref="CliHost"/>.</summary>
    public static string[] HostArguments(ParseResult parse) => [.. parse.UnmatchedTokens];

    private static void AllowHostSettings(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var subcommand in command.Subcommands)
        {
            AllowHostSettings(subcommand);
        }
    }

    /// <summary>Unmatched tokens that are not settings: a word that is neither <c>--key[=value]</c> nor the value after <c>--key</c>.</summary>
    private static IEnumerable<string> StrayWords(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var isKey = tokens[i].StartsWith("--", StringComparison.Ordinal) && tokens[i].Length > 2;
            if (isKey && !tokens[i].Contains('=') && i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                i++;   // --key value
            }
            else if (!isKey)
            {
                yield return $"Unrecognized argument '{tokens[i]}'.";
            }
        }
    }
}
