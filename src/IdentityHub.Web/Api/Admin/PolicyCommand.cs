using System.CommandLine;
using System.Text.Json;
using IdentityHub.Cedar;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// <c>dotnet run --project src/IdentityHub.Web -- policies evaluate &lt; request.json</c>: the same evaluation as the
/// admin endpoint, offline, without starting the server. Exit codes: 0 evaluated (allow or deny), 2 bad input.
/// </summary>
internal static class PolicyCommand
{
    public static Command Create(TextReader input)
    {
        var evaluate = new Command("evaluate", "Evaluate a Cedar policy set against one request: reads the request document (as POST /v1/admin/policies/evaluate takes it) from standard input, prints the decision as JSON");
        evaluate.SetAction(parse => Run(input, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return new Command("policies", "Cedar account policies") { evaluate };
    }

    public static int Run(TextReader input, TextWriter output, TextWriter error)
    {
        try
        {
            output.WriteLine(CedarJsonEvaluator.Evaluate(input.ReadToEnd()));
            return 0;
        }
        catch (CedarParseException exception)
        {
            error.WriteLine($"policies: parse error at line {exception.Line}, column {exception.Column}: {exception.Message}");
            return 2;
        }
        catch (JsonException exception)
        {
            error.WriteLine($"request: {exception.Message}");
            return 2;
        }
    }
}
