using static IdentityHub.Cedar.Tests.CedarTestHelper;

namespace IdentityHub.Cedar.Tests;

public sealed class CedarParserTests
{
    [Fact]
    public void ParseErrorsCarryLineAndColumn()
    {
        var ex = Assert.Throws<CedarParseException>(() => PolicySet.Parse("""
            permit(
              principal,
              action == Action::"view"
              resource
            );
            """));
        Assert.Equal(4, ex.Line);
        Assert.Equal(3, ex.Column);
        Assert.Equal("expected ',', found 'resource' at 4:3", ex.Message);
        Assert.Equal("expected ',', found 'resource'", ex.Reason);
    }

    [Fact]
    public void TwoPoliciesWithTheSameId_AreRefused_AtTheSecond()
    {
        var ex = Assert.Throws<CedarParseException>(() => PolicySet.Parse(
            "@id(\"freeze\") forbid(principal, action, resource);\npermit(principal, action, resource);\n  @id(\"freeze\") permit(principal, action, resource);"));

        Assert.Equal("duplicate policy id \"freeze\" at 3:4", ex.Message);
        Assert.Equal(3, ex.Line);
        Assert.Equal(4, ex.Column);
        // Distinct ids, and policies without one, stay fine.
        Assert.Equal(3, PolicySet.Parse("@id(\"a\") permit(principal, action, resource);\n@id(\"b\") permit(principal, action, resource);\npermit(principal, action, resource);").Count);
    }

    [Fact]
    public void MissingClosingParenthesisIsReportedWhereItWasExpected()
    {
        var ex = Assert.Throws<CedarParseException>(() =>
            PolicySet.Parse("permit(principal, action, resource)\nwhen { (1 + 2 == 3 };"));
        Assert.Equal("expected ')', found '}' at 2:20", ex.Message);
    }

    [Theory]
    [InlineData("permit(principal, action, resource) when { principal == ?principal };", "templates are not supported")]
    [InlineData("permit(principal == ?principal, action, resource);", "templates are not supported")]
    [InlineData("permit(principal, action, resource in ?resource);", "templates are not supported")]
    [InlineData("permit(principal, action, resource) when { ip(\"1.2.3.4\").isIpv4() };", "extension function 'ip' is not supported")]
    [InlineData("permit(principal, action, resource) when { decimal(\"1.0\") == context.d };", "extension function 'decimal' is not supported")]
    [InlineData("permit(principal, action, resource) when { context.a.isInRange(context.b) };", "extension method 'isInRange' is not supported")]
    [InlineData("permit(principal, action, resource) when { foo(1) };", "unknown function 'foo'")]
    [InlineData("permit(principal, action, resource) when { [1].size() == 1 };", "unknown method 'size'")]
    [InlineData("permit(principal, action, resource) when { contains([1], 1) };", "'contains' is a method")]
    [InlineData("permit(principal, action, resource) when { 4 / 2 == 2 };", "division is not supported")]
    [InlineData("permit(principal, action, resource) when { 4 % 2 == 0 };", "remainder operator is not supported")]
    [InlineData("permit(principal, action, resource) when { 1 = 1 };", "use '==' for equality")]
    [InlineData("permit(principal, action, resource) when { 1 < 2 < 3 };", "cannot be chained")]
    [InlineData("permit(principal, action, resource) when { principal in Group::\"a\" in Group::\"b\" };", "cannot be chained")]
    [InlineData("permit(principal, action, resource) when { !!!!!true };", "at most 4")]
    [InlineData("permit(principal, action, resource) when { -----1 == 1 };", "at most 4")]
    [InlineData("permit(principal, action, resource) when { 9223372036854775808 == 0 };", "out of the 64-bit range")]
    [InlineData("permit(principal, action, resource) when { -9223372036854775809 == 0 };", "out of the 64-bit range")]
    [InlineData("permit(principal, action, resource) when { 99999999999999999999 == 0 };", "out of the 64-bit range")]
    [InlineData("permit(principal, action, resource) when { {a: 1, a: 2} == {} };", "duplicate record key")]
    [InlineData("permit(principal, action, resource) when { {if: 1} == {} };", "reserved word")]
    [InlineData("permit(principal, action, resource) when { principal.if };", "reserved word")]
    [InlineData("permit(principal, action, resource) when { principal has in };", "reserved word")]
    [InlineData("permit(principal, action, resource) when { principal has a::b };", "cannot contain '::'")]
    [InlineData("permit(principal, action, resource) when { principal like principal };", "a string literal pattern")]
    [InlineData("permit(principal, action, resource) when { principal[context] };", "string literal attribute name")]
    [InlineData("permit(principal, action, resource) when { user.age > 1 };", "unknown name 'user'")]
    [InlineData("permit(principal, action, resource) when { \"\\q\" == \"\" };", "invalid escape sequence")]
    [InlineData("permit(principal, action, resource) when { \"\\u{D800}\" == \"\" };", "not a Unicode scalar value")]
    [InlineData("permit(principal, action, resource) when { \"abc };", "unterminated string literal")]
    [InlineData("permit(principal, action, resource) when { };", "empty 'when' clause")]
    [InlineData("permit(principal, action, resource) when { 1 + if true then 1 else 2 == 2 };", "must be wrapped in parentheses")]
    [InlineData("permit(principal, action, resource) when { (1)(2) };", "cannot be called")]
    [InlineData("permit(principal, action, resource) when { true } otherwise { false };", "expected 'when', 'unless' or ';'")]
    [InlineData("allow(principal, action, resource);", "expected 'permit' or 'forbid'")]
    [InlineData("permit(action, principal, resource);", "expected 'principal'")]
    [InlineData("permit(principal, action);", "the scope is missing 'resource'")]
    [InlineData("permit(principal, action, resource, context);", "unexpected extra scope element")]
    [InlineData("permit(principal: User, action, resource);", "type constraints")]
    [InlineData("permit(principal is User == User::\"a\", action, resource);", "cannot be combined with '=='")]
    [InlineData("permit(principal in Group::\"a\" is User, action, resource);", "'is' comes before 'in'")]
    [InlineData("permit(principal, action is Action, resource);", "'is' is not allowed on the action")]
    [InlineData("permit(principal == User, action, resource);", "expected an entity uid")]
    [InlineData("permit(principal in [User::\"a\"], action, resource);", "expected an entity uid")]
    [InlineData("permit(principal != User::\"a\", action, resource);", "not allowed in the scope")]
    [InlineData("@a(\"1\") @a(\"2\") permit(principal, action, resource);", "duplicate annotation '@a'")]
    [InlineData("permit(principal, action, resource)", "expected ';' at the end of the policy")]
    [InlineData("permit(principal, action, resource) when { true } # ;", "unexpected character '#'")]
    [InlineData("permit(principal, action, resource) when { true & false };", "did you mean '&&'")]
    [InlineData("permit(principal, action, resource) when { principal is User::\"a\" };", "found an entity uid")]
    [InlineData("permit(principal, action, resource) when { __cedar::\"x\" == principal };", "reserved")]
    [InlineData("permit(principal, action, resource) when { !-1 };", "cannot be mixed")]
    [InlineData("permit(principal, action, resource) when { \"a\\\nb\" == \"ab\" };", "cannot be followed by a line break")]
    [InlineData("permit(principal, action, resource) when { \"a\rb\" == \"ab\" };", "bare carriage return")]
    public void InvalidOrUnsupportedConstructsAreRejected(string text, string expectedMessagePart)
    {
        var ex = Assert.Throws<CedarParseException>(() => PolicySet.Parse(text));
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Line >= 1 && ex.Column >= 1);
    }

    [Fact]
    public void AcceptsTheFullScopeAndAnnotationSyntax()
    {
        var set = PolicySet.Parse("""
            // leading comment
            @id("p1")
            @notice("needs MFA \u{2705}")
            @flag
            forbid (
              principal is App::User in App::Group::"admins",   // trailing comment
              action in [Action::"read", (Action::"write"),],
              resource is Doc,
            )
            when { context.mfa == false }
            unless { principal has "name" };
            permit(principal == (User::"alice"), action == Action::"view", resource in Folder::"f");
            permit(principal, action in Action::"read", resource == App::Doc::"doc1");
            """);

        Assert.Equal(3, set.Count);
        var first = set.Policies[0];
        Assert.Equal(PolicyEffect.Forbid, first.Effect);
        Assert.Equal("p1", first.Id);
        Assert.Equal("needs MFA ✅", first.GetAnnotation("notice"));
        Assert.Equal(string.Empty, first.GetAnnotation("flag"));
        Assert.Null(first.GetAnnotation("absent"));
        Assert.Equal(["id", "notice", "flag"], first.Annotations.Keys);
        Assert.Equal(PolicyEffect.Permit, set.Policies[1].Effect);
    }

    [Theory]
    [InlineData("if true then 1 else 2 == 1", "error")] // `if` binds loosest: the result is the long 1, not a bool
    [InlineData("(if true then 1 else 2) == 1", "true")]
    [InlineData("true || false && false", "true")]
    [InlineData("!false && false", "false")]
    [InlineData("-2 * 3 + 1 == -5", "true")]
    [InlineData("[1, 2,].contains(2)", "true")]
    [InlineData("{a: 1,}.a == 1", "true")]
    [InlineData("principal has address.city && principal.address.city == \"Oslo\"", "true")]
    [InlineData("permit::\"x\" == permit::\"x\"", "true")]
    [InlineData("{principal: 1, permit: 2, when: 3}.when == 3", "true")]
    [InlineData("!(context has if_) || context.if_", "true")]
    [InlineData("- 9223372036854775808 == -9223372036854775808", "true")]
    public void PrecedenceAndLexicalDetailsFollowTheGrammar(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Fact]
    public void RepeatedParsingIsNotNeededForEvaluation()
    {
        var set = PolicySet.Parse("permit(principal, action, resource) when { principal.age > 18 };");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Authorizer.IsAuthorized(set, Request(), Store).IsAllowed);
        }
    }
}
