using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace IdentityHub.Cedar;

/// <summary>
/// The immutable set of entities a request is evaluated against. It answers attribute/tag lookups and the
/// hierarchy question behind <c>in</c>; an entity missing from the store simply has no attributes, tags or parents.
/// Safe to share between threads and requests: ancestor sets are computed lazily per entity and cached.
/// </summary>
public sealed class EntityStore
{
    private readonly Dictionary<EntityUid, Node> _nodes;

    /// <summary>Builds a store from entities; each identity may appear only once, as in Cedar.</summary>
    /// <exception cref="ArgumentException">Two entities share a <see cref="EntityUid"/>.</exception>
    public EntityStore(IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        _nodes = new Dictionary<EntityUid, Node>();
        foreach (var entity in entities)
        {
            ArgumentNullException.ThrowIfNull(entity, nameof(entities));
            if (!_nodes.TryAdd(entity.Uid, new Node(entity)))
            {
                throw new ArgumentException($"Duplicate entity {entity.Uid}.", nameof(entities));
            }
        }
    }

    /// <summary>A store with no entities, for requests whose policies need no hierarchy or attributes.</summary>
    public static EntityStore Empty { get; } = new([]);

    /// <summary>How many entities the store holds.</summary>
    public int Count => _nodes.Count;

    /// <summary>All entities, in no particular order.</summary>
    public IEnumerable<Entity> Entities
    {
        get
        {
            foreach (var node in _nodes.Values)
            {
                yield return node.Entity;
            }
        }
    }

    /// <summary>
    /// Parses Cedar's JSON entity format: an array of <c>{"uid": {"type","id"}, "attrs": {...}, "parents": [...],
    /// "tags": {...}}</c>. <c>uid</c> and parents may also use the <c>{"__entity": {...}}</c> form; inside attribute
    /// and tag values an entity reference must use <c>__entity</c> (a bare <c>{"type","id"}</c> there is a record,
    /// as in schema-less Cedar).
    /// </summary>
    /// <exception cref="JsonException">The JSON does not describe valid entities, or an identity repeats.</exception>
    public static EntityStore FromJson(JsonElement json) => CedarJsonReader.ReadEntities(json);

    /// <summary>Parses the JSON entity format from text; see <see cref="FromJson(JsonElement)"/>.</summary>
    /// <exception cref="JsonException">The text is not valid JSON or not valid entities.</exception>
    public static EntityStore FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>Looks an entity up by identity.</summary>
    public bool TryGetEntity(EntityUid uid, [NotNullWhen(true)] out Entity? entity)
    {
        if (_nodes.TryGetValue(uid, out var node))
        {
            entity = node.Entity;
            return true;
        }

        entity = null;
        return false;
    }

    /// <summary>
    /// Cedar's <c>descendant in ancestor</c>: true when both are the same entity (reflexive) or
    /// <paramref name="ancestor"/> is reachable through parent links (transitive), even across cycles.
    /// </summary>
    public bool IsDescendantOrSelf(EntityUid descendant, EntityUid ancestor)
    {
        if (descendant.Equals(ancestor))
        {
            return true;
        }

        return _nodes.TryGetValue(descendant, out var node) && GetAncestors(node).Contains(ancestor);
    }

    private HashSet<EntityUid> GetAncestors(Node node)
    {
        var cached = Volatile.Read(ref node.Ancestors);
        if (cached is not null)
        {
            return cached;
        }

        var result = new HashSet<EntityUid>();
        var pending = new Stack<EntityUid>();
        foreach (var parent in node.Entity.Parents)
        {
            if (result.Add(parent))
            {
                pending.Push(parent);
            }
        }

        while (pending.Count > 0)
        {
            if (!_nodes.TryGetValue(pending.Pop(), out var current))
            {
                continue;
            }

            foreach (var parent in current.Entity.Parents)
            {
                if (result.Add(parent))
                {
                    pending.Push(parent);
                }
            }
        }

        // A racing thread may compute the same set; either copy is correct, so a plain publish suffices.
        Volatile.Write(ref node.Ancestors, result);
        return result;
    }

    /// <summary>Per-store wrapper so the ancestor cache belongs to this store, not to the shared entity.</summary>
    private sealed class Node(Entity entity)
    {
        public Entity Entity { get; } = entity;

        public HashSet<EntityUid>? Ancestors;
    }
}
