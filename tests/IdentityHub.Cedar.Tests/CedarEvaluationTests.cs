using static IdentityHub.Cedar.Tests.CedarTestHelper;

namespace IdentityHub.Cedar.Tests;

public sealed class CedarEvaluationTests
{
    [Theory]
    [InlineData("1 == 1", "true")]
    [InlineData("1 == \"1\"", "false")]
    [InlineData("\"a\" != \"b\"", "true")]
    [InlineData("[1, 2, 2] == [2, 1]", "true")]
    [InlineData("[1, [2]] == [[2], 1]", "true")]
    [InlineData("{a: 1, \"b c\": [true]} == {\"b c\": [true], a: 1}", "true")]
    [InlineData("{a: 1} == {a: 1, b: 2}", "false")]
    [InlineData("User::\"alice\" == principal", "true")]
    [InlineData("User::\"alice\" == Group::\"alice\"", "false")]
    [InlineData("principal == \"User::alice\"", "false")]
    [InlineData("true != 1", "true")]
    public void EqualityIsStructuralAndNeverATypeError(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("1 < 2", "true")]
    [InlineData("2 <= 2", "true")]
    [InlineData("3 > 2", "true")]
    [InlineData("2 >= 3", "false")]
    [InlineData("-9223372036854775808 < 9223372036854775807", "true")]
    [InlineData("\"a\" < \"b\"", "error")]
    [InlineData("1 < true", "error")]
    [InlineData("[1] >= [1]", "error")]
    public void ComparisonsWorkOnLongsOnly(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("1 + 2 * 3 == 7", "true")]
    [InlineData("(1 + 2) * 3 == 9", "true")]
    [InlineData("10 - 2 - 3 == 5", "true")]
    [InlineData("-3 * -3 == 9", "true")]
    [InlineData("--5 == 5", "true")]
    [InlineData("-(2 + 3) == -5", "true")]
    [InlineData("9223372036854775807 + 1 == 0", "error")]
    [InlineData("-9223372036854775808 - 1 == 0", "error")]
    [InlineData("4611686018427387904 * 2 == 0", "error")]
    [InlineData("-9223372036854775807 - 1 == -9223372036854775808", "true")]
    [InlineData("-(-9223372036854775808) == 0", "error")]
    [InlineData("--9223372036854775808 == 0", "error")]
    [InlineData("-9223372036854775808 * -1 == 0", "error")]
    [InlineData("3037000499 * 3037000499 == 9223372030926249001", "true")]
    [InlineData("\"a\" + \"b\" == \"ab\"", "error")]
    [InlineData("-\"a\" == 1", "error")]
    public void ArithmeticIsOverflowChecked(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("false && (1 + \"x\" == 2)", "false")]
    [InlineData("true || principal.missing", "true")]
    [InlineData("true && principal.missing", "error")]
    [InlineData("false || principal.missing", "error")]
    [InlineData("1 && true", "error")]
    [InlineData("true && 1", "error")]
    [InlineData("false || 1", "error")]
    [InlineData("true || 1", "true")]
    [InlineData("!true == false", "true")]
    [InlineData("!!!!true", "true")]
    [InlineData("!1", "error")]
    [InlineData("if true then true else principal.missing", "true")]
    [InlineData("if false then principal.missing else true", "true")]
    [InlineData("if 1 then true else false", "error")]
    [InlineData("if principal.age > 18 then principal.name == \"Alice\" else false", "true")]
    public void LogicShortCircuitsAndRequiresBooleans(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("\"\" like \"\"", "true")]
    [InlineData("\"abc\" like \"*\"", "true")]
    [InlineData("\"abc\" like \"a*c\"", "true")]
    [InlineData("\"abc\" like \"a*b\"", "false")]
    [InlineData("\"a*c\" like \"a\\*c\"", "true")]
    [InlineData("\"abc\" like \"a\\*c\"", "false")]
    [InlineData("\"aXbXc\" like \"*b*c\"", "true")]
    [InlineData("\"mississippi\" like \"*sip*i\"", "true")]
    [InlineData("\"mississippi\" like \"*sip*x\"", "false")]
    [InlineData("\"line\\nbreak\" like \"line\\n*\"", "true")]
    [InlineData("\"\\u{1F600}!\" like \"*!\"", "true")]
    [InlineData("\"tab\\there\" like \"tab\\t*\"", "true")]
    [InlineData("1 like \"1\"", "error")]
    [InlineData("principal.name like \"Al*\"", "true")]
    public void LikeMatchesWildcardsAndEscapedStars(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("principal in principal", "true")]
    [InlineData("principal in Group::\"eng\"", "true")]
    [InlineData("principal in Group::\"all\"", "true")]
    [InlineData("Group::\"all\" in Group::\"eng\"", "false")]
    [InlineData("Group::\"all\" in Group::\"staff\"", "true")]
    [InlineData("Group::\"staff\" in Group::\"all\"", "true")]
    [InlineData("principal in User::\"bob\"", "false")]
    [InlineData("principal in [User::\"bob\", Group::\"staff\"]", "true")]
    [InlineData("principal in []", "false")]
    [InlineData("User::\"ghost\" in User::\"ghost\"", "true")]
    [InlineData("User::\"ghost\" in Group::\"eng\"", "false")]
    [InlineData("User::\"ghost\" == User::\"ghost\"", "true")]
    [InlineData("principal in [Group::\"eng\", 1]", "error")]
    [InlineData("principal in \"Group::eng\"", "error")]
    [InlineData("1 in [1]", "error")]
    [InlineData("resource in Folder::\"folder1\"", "true")]
    public void InIsReflexiveTransitiveAndToleratesCyclesAndUnknownEntities(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("principal has age", "true")]
    [InlineData("principal has \"age\"", "true")]
    [InlineData("principal has missing", "false")]
    [InlineData("principal has address.city", "true")]
    [InlineData("principal has address.zip.code", "true")]
    [InlineData("principal has address.zip.nope", "false")]
    [InlineData("principal has address.nope.deeper", "false")]
    [InlineData("principal has age.years", "error")]
    [InlineData("User::\"ghost\" has age", "false")]
    [InlineData("{a: {b: 1}} has a.b", "true")]
    [InlineData("1 has a", "error")]
    [InlineData("context has ip", "false")]
    public void HasChecksAttributesIncludingPaths(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("principal.age == 30", "true")]
    [InlineData("principal[\"age\"] == 30", "true")]
    [InlineData("principal.address.zip.code == \"0150\"", "true")]
    [InlineData("principal.manager == User::\"bob\"", "true")]
    [InlineData("resource.owner.name == \"Alice\"", "true")]
    [InlineData("principal.missing == 1", "error")]
    [InlineData("User::\"ghost\".age == 1", "error")]
    [InlineData("{a: 1}.b == 1", "error")]
    [InlineData("\"text\".length == 4", "error")]
    [InlineData("principal.big == 9007199254740993", "true")]
    [InlineData("context.mfa && context.level >= 2", "true")]
    public void AttributeAccessErrorsWhenMissing(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition, """{"mfa": true, "level": 2}"""));

    [Theory]
    [InlineData("resource.hasTag(\"classification\")", "true")]
    [InlineData("resource.hasTag(\"owner\")", "false")]
    [InlineData("resource.getTag(\"classification\") == \"secret\"", "true")]
    [InlineData("resource.getTag(\"level\") > 2", "true")]
    [InlineData("resource.getTag(\"missing\") == 1", "error")]
    [InlineData("User::\"ghost\".hasTag(\"x\")", "false")]
    [InlineData("User::\"ghost\".getTag(\"x\") == 1", "error")]
    [InlineData("resource.hasTag(1)", "error")]
    [InlineData("{a: 1}.hasTag(\"a\")", "error")]
    public void TagsAreSeparateFromAttributes(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("[1, 2, 3].contains(2)", "true")]
    [InlineData("[1, 2, 3].contains(\"2\")", "false")]
    [InlineData("[[1], {a: 1}].contains({a: 1})", "true")]
    [InlineData("[1, 2, 3].containsAll([3, 1])", "true")]
    [InlineData("[1, 2].containsAll([1, 4])", "false")]
    [InlineData("[1, 2].containsAll([])", "true")]
    [InlineData("[1, 2].containsAny([4, 2])", "true")]
    [InlineData("[1, 2].containsAny([])", "false")]
    [InlineData("[].isEmpty()", "true")]
    [InlineData("[1].isEmpty()", "false")]
    [InlineData("principal.roles.contains(\"admin\")", "true")]
    [InlineData("\"abc\".contains(\"a\")", "error")]
    [InlineData("[1].containsAll(1)", "error")]
    [InlineData("{}.isEmpty()", "error")]
    [InlineData("[principal.missing].isEmpty()", "error")]
    [InlineData("[1,2,3,4,5,6,7,8,9,10,11,12].contains(12)", "true")]
    [InlineData("[1,2,3,4,5,6,7,8,9,10,11,12] == [12,11,10,9,8,7,6,5,4,3,2,1,1]", "true")]
    public void SetMethods(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("principal is User", "true")]
    [InlineData("resource is App::Doc", "true")]
    [InlineData("resource is Doc", "false")]
    [InlineData("principal is User in Group::\"all\"", "true")]
    [InlineData("principal is Group in principal.missing", "false")]
    [InlineData("principal is User in principal.missing", "error")]
    [InlineData("1 is User", "error")]
    public void IsTestsTheEntityType(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("{a: principal.age}.a == 30", "true")]
    [InlineData("[principal.age, 30] == [30]", "true")]
    [InlineData("{\"b c\": 2}[\"b c\"] == 2", "true")]
    [InlineData("\"\\\"q\\\" \\\\ \\0 \\' \\x41 \\u{e9}\" == \"\\\"q\\\" \\\\ \\u{0} ' A é\"", "true")]
    public void LiteralsAndEscapes(string condition, string expected) =>
        Assert.Equal(expected, Eval(condition));

    [Fact]
    public void ForbidOverridesPermitAndReasonsListSatisfiedPolicies()
    {
        var response = Authorize("""
            permit(principal, action, resource);
            @notice("blocked for secret documents")
            forbid(principal, action, resource) when { resource.getTag("classification") == "secret" };
            permit(principal == User::"alice", action, resource);
            forbid(principal, action, resource) when { principal.missing };
            """);

        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Equal(["policy1"], response.Reasons);
        Assert.Equal(["policy3"], response.Errors);
        Assert.Equal("blocked for secret documents", response.DeterminingPolicies[0].GetAnnotation("notice"));
        Assert.Contains("does not have the attribute", response.ErrorDetails[0].Message);
    }

    [Fact]
    public void PermitsAllowWhenNoForbidIsSatisfied()
    {
        var response = Authorize("""
            permit(principal in Group::"eng", action in [Action::"read"], resource);
            permit(principal, action == Action::"edit", resource);
            permit(principal is User, action, resource is App::Doc in Folder::"folder1");
            forbid(principal, action, resource) unless { principal.age >= 18 };
            """);

        Assert.Equal(Decision.Allow, response.Decision);
        Assert.Equal(["policy0", "policy2"], response.Reasons);
        Assert.Empty(response.Errors);
    }

    [Fact]
    public void NothingSatisfiedDeniesWithoutReasons()
    {
        var response = Authorize("permit(principal == User::\"bob\", action, resource);");
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Empty(response.Reasons);
        Assert.Empty(PolicySet.Empty.Policies);
        Assert.Equal(Decision.Deny, Authorizer.IsAuthorized(PolicySet.Empty, Request(), Store).Decision);
    }

    [Fact]
    public void ConditionsAreCheckedInOrderAndStopAtTheFirstFailure()
    {
        // The second condition would error, but the first already fails, so the policy is simply not satisfied.
        var response = Authorize("permit(principal, action, resource) when { false } when { principal.missing };");
        Assert.Empty(response.Errors);

        response = Authorize("permit(principal, action, resource) unless { false } when { 1 };");
        Assert.Equal(["policy0"], response.Errors);

        response = Authorize("permit(principal, action, resource) when { true } unless { principal.age < 18 } when { principal has name };");
        Assert.True(response.IsAllowed);
    }

    [Fact]
    public void ScopeMismatchSkipsConditionsEntirely()
    {
        var response = Authorize("permit(principal == User::\"bob\", action, resource) when { principal.missing };");
        Assert.Empty(response.Errors);
        Assert.False(response.IsAllowed);
    }

    [Fact]
    public void PolicyIds_AreTheIdAnnotation_ElseThePosition()
    {
        var set = PolicySet.Parse("""
            @id("allow-alice") @owner
            permit(principal == User::"alice", action, resource);
            permit(principal, action, resource) when { false };
            """);
        Assert.Equal("allow-alice", set.Policies[0].Id);
        Assert.Equal("policy0", set.Policies[0].PositionalId);
        Assert.Equal(string.Empty, set.Policies[0].Annotations["owner"]);
        Assert.Equal("policy1", set.Policies[1].Id);
        Assert.Same(set.Policies[0], set.FindPolicy("allow-alice"));
        Assert.Same(set.Policies[1], set.FindPolicy("policy1"));
        Assert.StartsWith("@id(\"allow-alice\")", set.Policies[0].Text, StringComparison.Ordinal);
        Assert.EndsWith(";", set.Policies[0].Text, StringComparison.Ordinal);

        var response = Authorizer.IsAuthorized(set, Request(), Store);
        Assert.Equal(["allow-alice"], response.Reasons);
        Assert.Equal("allow-alice", response.DeterminingPolicies[0].Id);

        var unnamed = Authorizer.IsAuthorized(PolicySet.Parse("permit(principal, action, resource) when { false };\npermit(principal, action, resource);"), Request(), Store);
        Assert.Equal(["policy1"], unnamed.Reasons);
    }

    [Fact]
    public void ConcurrentEvaluationIsSafe()
    {
        var set = PolicySet.Parse("permit(principal in Group::\"all\", action in Action::\"read\", resource) when { principal.roles.containsAny([\"admin\"]) };");
        var store = EntityStore.FromJson(EntitiesJson);
        var results = new bool[64];
        Parallel.For(0, results.Length, i => results[i] = Authorizer.IsAuthorized(set, Request(), store).IsAllowed);
        Assert.All(results, Assert.True);
    }
}
