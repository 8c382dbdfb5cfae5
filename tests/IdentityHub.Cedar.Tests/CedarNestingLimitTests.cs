using System.Text;
using System.Text.Json;
using static IdentityHub.Cedar.Tests.CedarTestHelper;

namespace IdentityHub.Cedar.Tests;

/// <summary>
/// Deeply nested input is a parse error with line and column, never a stack overflow: without the limit each of these
/// inputs (a few tens of kilobytes) would crash the test host, so a passing run is the proof.
/// </summary>
public sealed class CedarNestingLimitTests
{
    private const int Deep = 20_000;
    private const int Max = PolicySet.MaxNestingDepth;
    private const string Head = "permit(principal, action, resource) when { ";

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static CedarParseException Refused(string condition) =>
        Assert.Throws<CedarParseException>(() => PolicySet.Parse(Head + condition + " };"));

    [Fact]
    public void TwentyThousandNestedParentheses_AreAParseError_AtTheFirstParenthesisTooDeep()
    {
        // On line 3, so the line is checked too. The condition (level 1) starts at the first parenthesis and the n-th
        // parenthesis starts level n, so the first one too deep is number Max + 1, at column 2 + Max + 1.
        var text = "permit(principal, action, resource)\nwhen {\n  " + Repeat("(", Deep) + "true" + Repeat(")", Deep) + "\n};";

        var ex = Assert.Throws<CedarParseException>(() => PolicySet.Parse(text));

        Assert.Equal(3, ex.Line);
        Assert.Equal(3 + Max, ex.Column);
        Assert.Contains($"nested more than {Max} levels deep", ex.Message);
    }

    [Fact]
    public void NestingUpToTheLimit_ParsesAndEvaluates()
    {
        Assert.Equal("true", Eval(Repeat("(", Max - 1) + "true" + Repeat(")", Max - 1)));
        Assert.Equal("true", Eval(string.Join(" && ", Enumerable.Repeat("true", Max))));
        Assert.Equal("true", Eval(Repeat("[", Max - 2) + "1" + Repeat("]", Max - 2) + " == " + Repeat("[", Max - 2) + "1" + Repeat("]", Max - 2)));
        Refused(Repeat("(", Max) + "true" + Repeat(")", Max));
        Refused(string.Join(" && ", Enumerable.Repeat("true", Max + 1)));
    }

    public static TheoryData<string, string> DeepConditions => new()
    {
        { "sets", Repeat("[", Deep) + "1" + Repeat("]", Deep) + " == [1]" },
        { "records", Repeat("{a: ", Deep) + "1" + Repeat("}", Deep) + " == {}" },
        { "records with a variable inside", Repeat("{a: ", Deep) + "context" + Repeat("}", Deep) + " == {}" },
        { "negations in parentheses", Repeat("!(", Deep) + "true" + Repeat(")", Deep) },
        { "minus in parentheses", Repeat("-(", Deep) + "1" + Repeat(")", Deep) + " == 1" },
        { "unclosed parentheses", Repeat("(", Deep) },
        { "if in if", Repeat("if true then ", Deep) + "true" + Repeat(" else false", Deep) },
        { "method arguments", Repeat("[1].contains(", Deep) + "1" + Repeat(")", Deep) },
        { "a chain of &&", string.Join(" && ", Enumerable.Repeat("true", Deep)) },
        { "a chain of +", string.Join(" + ", Enumerable.Repeat("1", Deep)) + " == 0" },
        { "a chain of attribute accesses", "context" + Repeat(".a", Deep) + " == 1" },
        { "a chain of [\"a\"] accesses", "context" + Repeat("[\"a\"]", Deep) + " == 1" },
        { "a has chain", "context has a" + Repeat(".a", Deep) },
    };

    [Theory]
    [MemberData(nameof(DeepConditions))]
    public void DeepConditions_AreParseErrors_WithAPosition(string what, string condition)
    {
        var ex = Refused(condition);

        Assert.True(ex.Line == 1 && ex.Column > Head.Length, $"{what}: {ex.Message}");
        Assert.Contains($"more than {Max} levels deep", ex.Message);
    }

    [Theory]
    [InlineData("!")]
    [InlineData("-")]
    public void TwentyThousandUnaryOperatorsInARow_AreAParseError(string op)
    {
        var ex = Refused(Repeat(op, Deep) + (op == "!" ? "true" : "1 == 1"));

        Assert.Equal(Head.Length + 1, ex.Column);
        Assert.Contains("at most 4", ex.Message);
    }

    [Fact]
    public void DeepScopes_AreParseErrors()
    {
        var action = Assert.Throws<CedarParseException>(() => PolicySet.Parse(
            "permit(principal, action in " + Repeat("(", Deep) + "[Action::\"a\"]" + Repeat(")", Deep) + ", resource);"));
        var principal = Assert.Throws<CedarParseException>(() => PolicySet.Parse(
            "permit(principal == " + Repeat("(", Deep) + "User::\"a\"" + Repeat(")", Deep) + ", action, resource);"));

        Assert.Contains("levels deep", action.Message);
        Assert.Contains("levels deep", principal.Message);
        Assert.Equal(1, principal.Line);
    }

    /// <summary>JSON nested <paramref name="depth"/> levels: records <c>{"a": ...}</c> or sets <c>[...]</c> around 1.</summary>
    private static string DeepJson(int depth, bool sets) =>
        sets ? Repeat("[", depth) + "1" + Repeat("]", depth) : Repeat("{\"a\": ", depth) + "1" + Repeat("}", depth);

    /// <summary>A document parsed with no practical depth limit, as a caller of the JsonElement overloads might.</summary>
    private static JsonElement Parse(string json) =>
        JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Deep * 2 }).RootElement.Clone();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeepJsonEntityAttributes_AreRefused_WithThePath(bool sets)
    {
        var entities = Parse($$"""[{"uid": {"type": "User", "id": "a"}, "attrs": {"deep": {{DeepJson(Deep, sets)}}}, "parents": []}]""");

        var ex = Assert.Throws<JsonException>(() => EntityStore.FromJson(entities));

        Assert.StartsWith("entities[0].attrs.deep", ex.Message);
        Assert.Contains($"nested more than {Max} levels deep", ex.Message);
    }

    [Fact]
    public void DeepJsonContext_IsRefused_AndJsonUpToTheLimitIsRead()
    {
        var deep = Parse($$"""{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "view"}, "resource": {"type": "Doc", "id": "d"}, "context": {{DeepJson(Deep, false)}}}""");
        var ex = Assert.Throws<JsonException>(() => AuthorizationRequest.FromJson(deep));
        Assert.StartsWith("context", ex.Message);

        var atLimit = Parse($$"""[{"uid": {"type": "User", "id": "a"}, "attrs": {"deep": {{DeepJson(Max, true)}}}, "parents": []}]""");
        Assert.True(EntityStore.FromJson(atLimit).TryGetEntity(new EntityUid("User", "a"), out _));
        var overLimit = Parse($$"""[{"uid": {"type": "User", "id": "a"}, "attrs": {"deep": {{DeepJson(Max + 1, true)}}}, "parents": []}]""");
        Assert.Throws<JsonException>(() => EntityStore.FromJson(overLimit));
    }
}
