using System.Text.Json;

namespace IdentityHub.Cedar.Tests;

public sealed class CedarJsonTests
{
    [Fact]
    public void EntitiesJsonReadsAttributesParentsTagsAndLargeIntegers()
    {
        var store = EntityStore.FromJson(CedarTestHelper.EntitiesJson);
        Assert.Equal(8, store.Count);
        Assert.True(store.TryGetEntity(new EntityUid("User", "alice"), out var alice));
        Assert.Equal(9007199254740993L, alice.Attributes["big"].AsLong());
        Assert.Equal(new EntityUid("User", "bob"), alice.Attributes["manager"].AsEntity());
        Assert.Equal(CedarValueKind.Set, alice.Attributes["roles"].Kind);
        Assert.Equal("Oslo", alice.Attributes["address"].AsRecord()["city"].AsString());
        Assert.Equal([new EntityUid("Group", "eng")], alice.Parents);
        Assert.True(store.TryGetEntity(new EntityUid("App::Doc", "doc1"), out var doc));
        Assert.Equal(3, doc.Tags["level"].AsLong());
        Assert.True(store.IsDescendantOrSelf(new EntityUid("User", "alice"), new EntityUid("Group", "all")));
        Assert.False(store.TryGetEntity(new EntityUid("User", "nobody"), out _));
    }

    [Fact]
    public void BareTypeAndIdIsARecordInsideAttributes()
    {
        var store = EntityStore.FromJson("""
            [{"uid": {"__entity": {"type": "A", "id": "1"}}, "attrs": {"r": {"type": "B", "id": "2"}}, "parents": []}]
            """);
        Assert.True(store.TryGetEntity(new EntityUid("A", "1"), out var entity));
        Assert.Equal(CedarValueKind.Record, entity.Attributes["r"].Kind);
    }

    [Theory]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": 1.5}}]""", "64-bit integer")]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": 18446744073709551616}}]""", "64-bit integer")]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": null}}]""", "null")]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": {"__extn": {"fn": "ip", "arg": "1.1.1.1"}}}}]""", "extension values")]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}}, {"uid": {"type": "A", "id": "1"}}]""", "duplicate entity")]
    [InlineData("""[{"uid": {"type": "A B", "id": "1"}}]""", "not a valid entity type")]
    [InlineData("""[{"attrs": {}}]""", "missing required property \"uid\"")]
    [InlineData("""{"uid": {"type": "A", "id": "1"}}""", "expected a JSON array")]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": 1, "x": 2}}]""", "duplicate key")]
    public void InvalidEntityJsonIsRejectedWithLocation(string json, string expectedMessagePart)
    {
        var ex = Assert.Throws<JsonException>(() => EntityStore.FromJson(json));
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestJsonRequiresEntitiesAndARecordContext()
    {
        var request = AuthorizationRequest.FromJson("""
            {"principal": {"type": "User", "id": "a"}, "action": {"__entity": {"type": "Action", "id": "v"}},
             "resource": {"type": "Doc", "id": "d"}, "context": {"n": -9223372036854775808, "e": {"__entity": {"type": "User", "id": "b"}}}}
            """);
        Assert.Equal(new EntityUid("Action", "v"), request.Action);
        Assert.Equal(long.MinValue, request.Context.AsRecord()["n"].AsLong());
        Assert.Equal(CedarValueKind.Entity, request.Context.AsRecord()["e"].Kind);

        var noContext = AuthorizationRequest.FromJson("""
            {"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "v"}, "resource": {"type": "Doc", "id": "d"}}
            """);
        Assert.Empty(noContext.Context.AsRecord());

        Assert.Throws<JsonException>(() => AuthorizationRequest.FromJson("""
            {"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "v"}, "resource": {"type": "Doc", "id": "d"}, "context": [1]}
            """));
        Assert.Throws<JsonException>(() => AuthorizationRequest.FromJson("""{"principal": {"type": "User", "id": "a"}}"""));
        Assert.Throws<ArgumentException>(() => new AuthorizationRequest(
            new EntityUid("U", "a"), new EntityUid("A", "v"), new EntityUid("R", "r"), CedarValue.FromLong(1)));
    }

    [Fact]
    public void JsonRoundTripHelperAnswersInCedarsFormat()
    {
        var output = CedarJsonEvaluator.Evaluate("""
            {
              "policies": "permit(principal in Group::\"eng\", action, resource) when { context.level > 1 };\nforbid(principal, action, resource) when { resource.secret };",
              "entities": [{"uid": {"type": "User", "id": "alice"}, "attrs": {}, "parents": [{"type": "Group", "id": "eng"}]}],
              "principal": {"type": "User", "id": "alice"},
              "action": {"type": "Action", "id": "view"},
              "resource": {"type": "Doc", "id": "d"},
              "context": {"level": 2}
            }
            """);
        Assert.Equal("""{"decision":"allow","reasons":["policy0"],"errors":["policy1"]}""", output);

        var denied = CedarJsonEvaluator.Evaluate("""
            {"policies": "", "principal": {"type": "U", "id": "a"}, "action": {"type": "A", "id": "b"}, "resource": {"type": "R", "id": "c"}}
            """);
        Assert.Equal("""{"decision":"deny","reasons":[],"errors":[]}""", denied);
    }

    [Fact]
    public void JsonRoundTripHelperSurfacesInputProblems()
    {
        var parse = Assert.Throws<CedarParseException>(() => CedarJsonEvaluator.Evaluate("""
            {"policies": "permit(principal, action, resource) when { 1 +  };", "principal": {"type": "U", "id": "a"}, "action": {"type": "A", "id": "b"}, "resource": {"type": "R", "id": "c"}}
            """));
        Assert.Equal(1, parse.Line);
        Assert.Throws<JsonException>(() => CedarJsonEvaluator.Evaluate("""{"entities": []}"""));
        Assert.ThrowsAny<JsonException>(() => CedarJsonEvaluator.Evaluate("not json"));
    }

    [Fact]
    public void ValuesCompareStructurallyAndRenderAsCedar()
    {
        var a = CedarValue.SetOf(CedarValue.FromLong(1), CedarValue.FromString("x"), CedarValue.FromLong(1));
        var b = CedarValue.SetOf(CedarValue.FromString("x"), CedarValue.FromLong(1));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(2, a.AsSet().Count);
        Assert.NotEqual(CedarValue.FromLong(1), CedarValue.True);
        Assert.Equal("[1, \"x\"]", a.ToString());
        Assert.Equal("User::\"a\\\"b\"", CedarValue.FromEntity(new EntityUid("User", "a\"b")).ToString());
        Assert.Throws<ArgumentException>(() => CedarValue.RecordOf([new("k", CedarValue.True), new("k", CedarValue.False)]));
        Assert.Throws<InvalidOperationException>(() => CedarValue.True.AsLong());
        using var doc = JsonDocument.Parse("""{"a": [1, {"__entity": {"type": "T", "id": "i"}}]}""");
        var value = CedarValue.FromJson(doc.RootElement);
        Assert.Equal("{\"a\": [1, T::\"i\"]}", value.ToString());
    }

    [Fact]
    public void ProgrammaticStoresHandleCyclesCopiesAndDuplicates()
    {
        var a = new EntityUid("G", "a");
        var b = new EntityUid("G", "b");
        var c = new EntityUid("G", "c");
        var attributes = new Dictionary<string, CedarValue> { ["x"] = CedarValue.FromLong(1) };
        var store = new EntityStore([new Entity(a, attributes, [b]), new Entity(b, parents: [a, c, c])]);
        attributes["x"] = CedarValue.FromLong(2);

        Assert.True(store.IsDescendantOrSelf(a, c));
        Assert.True(store.IsDescendantOrSelf(b, a));
        Assert.False(store.IsDescendantOrSelf(c, a));
        Assert.True(store.TryGetEntity(a, out var entity));
        Assert.Equal(1, entity.Attributes["x"].AsLong());
        Assert.True(store.TryGetEntity(b, out var withParents));
        Assert.Equal(2, withParents.Parents.Count);
        Assert.Throws<ArgumentException>(() => new EntityStore([new Entity(a), new Entity(a)]));
    }
}
