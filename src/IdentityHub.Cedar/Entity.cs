namespace IdentityHub.Cedar;

/// <summary>
/// One entity of the hierarchy a request is evaluated against: its attributes (read by <c>.attr</c> and <c>has</c>),
/// its direct parents (followed transitively by <c>in</c>) and its tags (read by <c>getTag</c>/<c>hasTag</c>).
/// </summary>
public sealed class Entity
{
    private static readonly IReadOnlyDictionary<string, CedarValue> NoValues =
        new Dictionary<string, CedarValue>(StringComparer.Ordinal);

    /// <summary>Creates an entity; null collections mean "none", which is how Cedar treats an omitted field.</summary>
    /// <param name="uid">The entity's identity.</param>
    /// <param name="attributes">Attribute values by name.</param>
    /// <param name="parents">Direct parents; they may be absent from the store and cycles are tolerated.</param>
    /// <param name="tags">Tag values by tag name (Cedar keeps tags separate from attributes).</param>
    public Entity(
        EntityUid uid,
        IReadOnlyDictionary<string, CedarValue>? attributes = null,
        IEnumerable<EntityUid>? parents = null,
        IReadOnlyDictionary<string, CedarValue>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(uid);
        Uid = uid;
        Attributes = Copy(attributes);
        Tags = Copy(tags);
        var parentList = new List<EntityUid>();
        if (parents is not null)
        {
            foreach (var parent in parents)
            {
                ArgumentNullException.ThrowIfNull(parent, nameof(parents));
                if (!parentList.Contains(parent))
                {
                    parentList.Add(parent);
                }
            }
        }

        Parents = parentList;
    }

    /// <summary>The entity's identity.</summary>
    public EntityUid Uid { get; }

    /// <summary>Attribute values by name; reading a missing one in a policy is an evaluation error.</summary>
    public IReadOnlyDictionary<string, CedarValue> Attributes { get; }

    /// <summary>Direct parents only; ancestors are derived from the store on demand.</summary>
    public IReadOnlyList<EntityUid> Parents { get; }

    /// <summary>Tag values by tag name.</summary>
    public IReadOnlyDictionary<string, CedarValue> Tags { get; }

    // Copied so later changes to the caller's dictionary cannot alter an entity a store is already using.
    private static IReadOnlyDictionary<string, CedarValue> Copy(IReadOnlyDictionary<string, CedarValue>? source)
    {
        if (source is null || source.Count == 0)
        {
            return NoValues;
        }

        var copy = new Dictionary<string, CedarValue>(source.Count, StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(source));
            copy.Add(key, value);
        }

        return copy;
    }
}
