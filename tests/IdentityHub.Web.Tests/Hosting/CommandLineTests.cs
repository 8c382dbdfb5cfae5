using IdentityHub.Web.Cli;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>
/// The command line's own contract, whatever the command: help at every level, exit code 2 and a message on standard
/// error for anything it cannot parse, and no stray word ever taken for a host setting.
/// </summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_ListsTheCommands_AndExitsZero()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("migrate", output);
        Assert.Contains("policies", output);
        Assert.Contains("--json", output);
    }

    [Theory]
    [InlineData("migrate", "stray")]                     // a word that is neither a command, an argument nor a --key setting
    [InlineData("policies", "evalute")]                  // a misspelt subcommand
    [InlineData("policies")]                             // a group without its subcommand
    public async Task UnparsableInput_ExitsTwo_WithAMessage_AndRunsNothing(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--help", error);
    }

    [Fact]
    public async Task PoliciesEvaluate_ReadsStandardInput_AndExitsTwoOnABadDocument()
    {
        var (code, _, error) = await RunAsync(["policies", "evaluate"], input: "{}");

        Assert.Equal(2, code);
        Assert.Contains("policies", error);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("clients")]
    [InlineData("tenants")]
    [InlineData("migrate")]
    [InlineData("--help")]
    public void TheCommands_AreTheCommandLine_NotTheServer(string first) => Assert.True(HubCommandLine.Matches([first]));

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:5000")]
    [InlineData("--healthcheck")]
    public void AnythingElse_StartsTheServer(params string[] args) => Assert.False(HubCommandLine.Matches(args));

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string input = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HubCommandLine.RunAsync(args, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, "");
}
