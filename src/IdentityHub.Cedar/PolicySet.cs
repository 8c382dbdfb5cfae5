namespace IdentityHub.Cedar;

/// <summary>
/// An immutable, parsed set of Cedar policies. Parse once and reuse it for any number of requests (from any thread):
/// evaluation works on the parsed form and never re-reads the text.
/// </summary>
public sealed class PolicySet
{
    private PolicySet(IReadOnlyList<Policy> policies) => Policies = policies;

    /// <summary>
    /// How deeply Cedar input may nest: parentheses, sets, records, <c>if</c>, method arguments and scope entities in
    /// the text, the depth of the resulting expression tree (so a chain of 10,000 <c>&amp;&amp;</c> or <c>.a.a.a</c>
    /// counts too), and records and sets in JSON values. Parser, evaluator and JSON reader recurse, so without a bound
    /// a few kilobytes of brackets would overflow the stack and kill the process; deeper input is refused as a
    /// <see cref="CedarParseException"/> with line and column (a <see cref="System.Text.Json.JsonException"/> naming
    /// the path for JSON). Real policies nest a handful of levels.
    /// </summary>
    public const int MaxNestingDepth = 200;

    /// <summary>A set without policies; it denies every request.</summary>
    public static PolicySet Empty { get; } = new([]);

    /// <summary>The policies in source order (so <c>Policies[i].PositionalId == "policy" + i</c>).</summary>
    public IReadOnlyList<Policy> Policies { get; }

    /// <summary>Number of policies.</summary>
    public int Count => Policies.Count;

    /// <summary>
    /// Parses Cedar policy text: any number of <c>permit</c>/<c>forbid</c> policies with annotations, scope constraints
    /// and <c>when</c>/<c>unless</c> conditions. Templates (<c>?principal</c>), extension functions and types
    /// (<c>ip</c>, <c>decimal</c>, <c>datetime</c>, <c>duration</c>) and schemas are not supported and are rejected.
    /// </summary>
    /// <exception cref="CedarParseException">The text is not valid (supported) Cedar; carries line and column.</exception>
    public static PolicySet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new PolicySet(CedarParser.ParsePolicies(text));
    }

    /// <summary>Finds a policy by <see cref="Policy.PositionalId"/> (<c>policyN</c>) or, failing that, by <see cref="Policy.Id"/>.</summary>
    public Policy? FindPolicy(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        foreach (var policy in Policies)
        {
            if (policy.PositionalId == id)
            {
                return policy;
            }
        }

        foreach (var policy in Policies)
        {
            if (policy.Id == id)
            {
                return policy;
            }
        }

        return null;
    }
}
