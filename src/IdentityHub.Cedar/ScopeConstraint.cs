namespace IdentityHub.Cedar;

/// <summary>Shapes a policy scope element can take.</summary>
internal enum ScopeKind
{
    /// <summary>No constraint (bare <c>principal</c>).</summary>
    Any,

    /// <summary><c>== Entity</c>.</summary>
    Eq,

    /// <summary><c>in Entity</c>, or for actions <c>in [Entity, ...]</c> (any of them).</summary>
    In,

    /// <summary><c>is Type</c>.</summary>
    Is,

    /// <summary><c>is Type in Entity</c>.</summary>
    IsIn,
}

/// <summary>The three elements of a policy scope, <c>(principal, action, resource)</c>.</summary>
internal readonly record struct PolicyScope(ScopeConstraint Principal, ScopeConstraint Action, ScopeConstraint Resource);

/// <summary>
/// One element of a policy scope. Scope checks cannot error (the variables are always entities), so they are kept
/// out of the expression tree and checked directly and cheaply before any condition is evaluated.
/// </summary>
internal sealed class ScopeConstraint
{
    public static readonly ScopeConstraint Any = new(ScopeKind.Any, null, []);

    public ScopeConstraint(ScopeKind kind, string? entityType, EntityUid[] entities)
    {
        Kind = kind;
        EntityType = entityType;
        Entities = entities;
    }

    public ScopeKind Kind { get; }

    public string? EntityType { get; }

    /// <summary>The entity of <c>==</c>/<c>in</c>; several only for <c>action in [...]</c>.</summary>
    public EntityUid[] Entities { get; }

    public bool Matches(EntityUid uid, EntityStore store)
    {
        switch (Kind)
        {
            case ScopeKind.Any:
                return true;
            case ScopeKind.Eq:
                return uid.Equals(Entities[0]);
            case ScopeKind.Is:
                return string.Equals(uid.Type, EntityType, StringComparison.Ordinal);
            case ScopeKind.IsIn:
                return string.Equals(uid.Type, EntityType, StringComparison.Ordinal) &&
                       store.IsDescendantOrSelf(uid, Entities[0]);
            default:
                foreach (var entity in Entities)
                {
                    if (store.IsDescendantOrSelf(uid, entity))
                    {
                        return true;
                    }
                }

                return false;
        }
    }
}
