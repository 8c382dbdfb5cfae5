namespace IdentityHub.Cedar;

/// <summary>
/// Identifies one Cedar entity by its (possibly namespaced) type and its id, e.g. <c>App::User::"alice"</c>.
/// Two references are equal when both parts are equal ordinally; the referenced entity need not exist in any store,
/// because Cedar lets policies compare and test membership of entities it knows nothing else about.
/// </summary>
public sealed class EntityUid : IEquatable<EntityUid>
{
    private readonly int _hash;

    /// <summary>Creates a reference; the type is kept exactly as given (namespace segments joined by <c>::</c>).</summary>
    /// <param name="type">Entity type such as <c>User</c> or <c>App::User</c>.</param>
    /// <param name="id">Entity id; any string, including the empty string, is valid.</param>
    public EntityUid(string type, string id)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(id);
        Type = type;
        Id = id;
        _hash = HashCode.Combine(StringComparer.Ordinal.GetHashCode(type), StringComparer.Ordinal.GetHashCode(id));
    }

    /// <summary>The entity type, namespaces included (<c>App::User</c>), compared ordinally by <c>is</c> and equality.</summary>
    public string Type { get; }

    /// <summary>The entity id (the quoted part of <c>User::"alice"</c>), already unescaped.</summary>
    public string Id { get; }

    /// <inheritdoc />
    public bool Equals(EntityUid? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (_hash == other._hash && string.Equals(Id, other.Id, StringComparison.Ordinal) &&
             string.Equals(Type, other.Type, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EntityUid);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>Renders the reference in Cedar syntax (<c>Type::"id"</c>, id escaped), as it would appear in a policy.</summary>
    public override string ToString() => Type + "::" + CedarValue.QuoteString(Id);

    /// <summary>Value equality, so references can be compared with <c>==</c> in C# as in Cedar.</summary>
    public static bool operator ==(EntityUid? left, EntityUid? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Negation of <see cref="op_Equality"/>.</summary>
    public static bool operator !=(EntityUid? left, EntityUid? right) => !(left == right);
}
