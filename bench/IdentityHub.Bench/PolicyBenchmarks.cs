using BenchmarkDotNet.Attributes;
using IdentityHub.Cedar;

namespace IdentityHub.Bench;

/// <summary>
/// Parse once / evaluate many: a realistic 20-policy set (permit and forbid, when/unless, `in` over a group
/// hierarchy, attribute access, `like`, sets, tags, `if`) evaluated against one request.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    public const string Policies = """
        @id("admins-all")
        permit(principal in Group::"admins", action, resource);

        @id("view-public")
        permit(principal, action == Action::"view", resource) when { resource.public };

        @id("owner-edit")
        permit(principal, action in [Action::"edit", Action::"delete"], resource is Document)
        when { resource.owner == principal };

        @id("team-read")
        permit(principal is User in Group::"engineering", action in Action::"read", resource in Folder::"eng-docs");

        @id("mfa-required") @notice("MFA is required for secret documents")
        forbid(principal, action, resource)
        when { resource.getTag("classification") == "secret" }
        unless { context.mfa };

        @id("suspended")
        forbid(principal, action, resource) when { principal has suspended && principal.suspended };

        @id("email-domain")
        permit(principal, action == Action::"view", resource)
        when { principal.email like "*@example.com" && resource.level <= principal.clearance };

        @id("roles")
        permit(principal, action, resource)
        when { principal.roles.containsAny(["auditor", "security"]) && action in Action::"read" };

        @id("ip-block")
        forbid(principal, action, resource) when { context.ip like "10.66.*" };

        @id("working-hours")
        forbid(principal, action == Action::"delete", resource) unless { context.hour >= 8 && context.hour < 18 };

        @id("shared-with")
        permit(principal, action == Action::"view", resource)
        when { resource has sharedWith && resource.sharedWith.contains(principal) };

        @id("department")
        permit(principal, action, resource)
        when { principal has department && resource has department && principal.department == resource.department }
        unless { resource.level > 3 };

        @id("contractors")
        forbid(principal is User, action, resource)
        when { principal.employmentType == "contractor" && resource.getTag("classification") != "public" };

        @id("quota")
        permit(principal, action == Action::"upload", resource)
        when { context has bytes && context.bytes + resource.usedBytes < 1000000 };

        @id("guests")
        forbid(principal is Guest, action, resource);

        @id("locked")
        forbid(principal, action in [Action::"edit", Action::"delete"], resource)
        when { resource has locked && resource.locked };

        @id("approvers")
        permit(principal, action == Action::"approve", resource)
        when { context.approvers.containsAll([principal]) && !(resource.owner == principal) };

        @id("eu-residency")
        permit(principal, action == Action::"view", resource)
        when { principal has address.country && principal.address.country == "NO" && resource.region == "EU" };

        @id("comments")
        permit(principal, action == Action::"comment", resource)
        when { if resource.public then true else principal in resource.readers };

        @id("auditors")
        permit(principal in Group::"auditors", action in Action::"read", resource)
        when { context.reason like "*ticket-*" };
        """;

    public const string Entities = """
        [
          {"uid": {"type": "User", "id": "alice"},
           "attrs": {"email": "alice@example.com", "clearance": 3, "roles": ["dev", "auditor"], "department": "eng",
                     "employmentType": "employee", "address": {"country": "NO", "city": "Oslo"}},
           "parents": [{"type": "Group", "id": "engineering"}]},
          {"uid": {"type": "User", "id": "bob"}, "attrs": {"email": "bob@example.com", "clearance": 1, "roles": [],
           "employmentType": "contractor"}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Group", "id": "engineering"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": [{"type": "Group", "id": "everyone"}]},
          {"uid": {"type": "Group", "id": "everyone"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Group", "id": "auditors"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]},
          {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Folder", "id": "eng-docs"}, "attrs": {}, "parents": [{"type": "Folder", "id": "root"}]},
          {"uid": {"type": "Document", "id": "design"},
           "attrs": {"public": false, "level": 2, "department": "eng", "region": "EU", "usedBytes": 1200,
                     "owner": {"__entity": {"type": "User", "id": "bob"}},
                     "readers": [{"__entity": {"type": "User", "id": "carol"}}],
                     "sharedWith": [{"__entity": {"type": "User", "id": "alice"}}, {"__entity": {"type": "User", "id": "dave"}}]},
           "parents": [{"type": "Folder", "id": "eng-docs"}],
           "tags": {"classification": "internal"}}
        ]
        """;

    public const string Request = """
        {"principal": {"type": "User", "id": "alice"},
         "action": {"type": "Action", "id": "view"},
         "resource": {"type": "Document", "id": "design"},
         "context": {"mfa": true, "ip": "192.168.1.20", "hour": 10, "reason": "ticket-4711", "approvers": []}}
        """;

    private PolicySet _policies = null!;
    private EntityStore _entities = null!;
    private AuthorizationRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policies = PolicySet.Parse(Policies);
        _entities = EntityStore.FromJson(Entities);
        _request = AuthorizationRequest.FromJson(Request);
    }

    [Benchmark(Description = "Parse 20 policies")]
    public PolicySet Parse() => PolicySet.Parse(Policies);

    [Benchmark(Description = "Evaluate 1 request x 20 policies")]
    public AuthorizationResponse Evaluate() => Authorizer.IsAuthorized(_policies, _request, _entities);
}
