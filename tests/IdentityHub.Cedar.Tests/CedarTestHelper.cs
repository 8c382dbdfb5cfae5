namespace IdentityHub.Cedar.Tests;

/// <summary>Shared fixtures: a small entity hierarchy and a way to evaluate one expression as a policy condition.</summary>
internal static class CedarTestHelper
{
    /// <summary>
    /// alice ∈ eng ∈ staff ∈ all, and all ∈ staff (a cycle); bob has no parents; doc1 ∈ folder1 and has tags.
    /// </summary>
    public const string EntitiesJson = """
        [
          {"uid": {"type": "User", "id": "alice"},
           "attrs": {"age": 30, "name": "Alice", "address": {"city": "Oslo", "zip": {"code": "0150"}},
                     "manager": {"__entity": {"type": "User", "id": "bob"}},
                     "roles": ["admin", "dev"], "big": 9007199254740993},
           "parents": [{"type": "Group", "id": "eng"}]},
          {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Group", "id": "eng"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": [{"__entity": {"type": "Group", "id": "all"}}]},
          {"uid": {"type": "Group", "id": "all"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]},
          {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": []},
          {"uid": {"type": "App::Doc", "id": "doc1"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}},
           "parents": [{"type": "Folder", "id": "folder1"}],
           "tags": {"classification": "secret", "level": 3}}
        ]
        """;

    private static readonly Lazy<EntityStore> SharedStore = new(() => EntityStore.FromJson(EntitiesJson));

    public static EntityStore Store => SharedStore.Value;

    public static AuthorizationRequest Request(string context = "{}") =>
        AuthorizationRequest.FromJson($$"""
            {"principal": {"type": "User", "id": "alice"},
             "action": {"type": "Action", "id": "view"},
             "resource": {"type": "App::Doc", "id": "doc1"},
             "context": {{context}}}
            """);

    /// <summary>Evaluates <paramref name="condition"/> as the only condition of a permit: "true", "false" or "error".</summary>
    public static string Eval(string condition, string context = "{}")
    {
        var policies = PolicySet.Parse($"permit(principal, action, resource) when {{ {condition} }};");
        var response = Authorizer.IsAuthorized(policies, Request(context), Store);
        if (response.Errors.Count > 0)
        {
            return "error";
        }

        return response.IsAllowed ? "true" : "false";
    }

    /// <summary>Runs the policy text against the default request and returns the response.</summary>
    public static AuthorizationResponse Authorize(string policies, string context = "{}") =>
        Authorizer.IsAuthorized(PolicySet.Parse(policies), Request(context), Store);
}
