namespace IdentityHub.Cedar;

/// <summary>
/// The runtime type of a <see cref="CedarValue"/>. Cedar operators are strictly typed (no coercions), so evaluation
/// dispatches on this tag and reports a type error when an operand has the wrong kind.
/// </summary>
public enum CedarValueKind
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>A signed 64-bit integer; arithmetic that leaves this range is an evaluation error.</summary>
    Long,

    /// <summary>A Unicode string.</summary>
    String,

    /// <summary>A reference to an entity (<see cref="EntityUid"/>).</summary>
    Entity,

    /// <summary>An unordered collection without duplicates.</summary>
    Set,

    /// <summary>A map from attribute names to values.</summary>
    Record,
}
