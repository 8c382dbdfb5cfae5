namespace IdentityHub.Cedar;

/// <summary>
/// One parsed static Cedar policy. Cedar itself names policies by position (<see cref="PositionalId"/>,
/// <c>policy0</c>, <c>policy1</c>, ...), and authorization answers use those names; <see cref="Id"/> additionally honours
/// an <c>@id("...")</c> annotation so products can give policies stable, human-chosen names.
/// </summary>
public sealed class Policy
{
    internal Policy(
        int index,
        PolicyEffect effect,
        IReadOnlyDictionary<string, string> annotations,
        PolicyScope scope,
        Expr[] conditions,
        bool[] conditionIsWhen,
        string text)
    {
        Index = index;
        PositionalId = "policy" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Effect = effect;
        Annotations = annotations;
        Id = annotations.TryGetValue("id", out var id) ? id : PositionalId;
        Principal = scope.Principal;
        Action = scope.Action;
        Resource = scope.Resource;
        Conditions = conditions;
        ConditionIsWhen = conditionIsWhen;
        Text = text;
    }

    /// <summary>Zero-based position of the policy in the parsed text.</summary>
    public int Index { get; }

    /// <summary>
    /// <c>policyN</c> by position, exactly as Cedar names policies parsed from one text; this is what
    /// <see cref="AuthorizationResponse.Reasons"/> and <see cref="AuthorizationResponse.Errors"/> contain.
    /// </summary>
    public string PositionalId { get; }

    /// <summary>
    /// The <c>@id</c> annotation's value when present, otherwise <see cref="PositionalId"/>. Not guaranteed unique:
    /// two policies may carry the same <c>@id</c>.
    /// </summary>
    public string Id { get; }

    /// <summary>Whether a satisfied policy permits or forbids.</summary>
    public PolicyEffect Effect { get; }

    /// <summary>
    /// Annotations in source order, e.g. <c>@notice("MFA required")</c> gives <c>notice</c> → <c>MFA required</c>;
    /// a bare <c>@name</c> has the empty string as its value. Cedar ignores them when evaluating; products read them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>The policy's source text (from its first annotation to its semicolon), for display and audit logs.</summary>
    public string Text { get; }

    internal ScopeConstraint Principal { get; }

    internal ScopeConstraint Action { get; }

    internal ScopeConstraint Resource { get; }

    /// <summary>Condition bodies in source order; evaluation stops at the first one that fails.</summary>
    internal Expr[] Conditions { get; }

    internal bool[] ConditionIsWhen { get; }

    /// <summary>Returns an annotation's value, or null when the policy does not carry it.</summary>
    public string? GetAnnotation(string name) => Annotations.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => Text;
}
