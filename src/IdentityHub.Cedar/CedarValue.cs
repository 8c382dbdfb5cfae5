using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IdentityHub.Cedar;

/// <summary>
/// An immutable Cedar value: bool, 64-bit long, string, entity reference, set or record.
/// One sealed tagged class (rather than a class per kind) keeps evaluation a cheap switch on <see cref="Kind"/> and lets
/// common values (booleans, small longs) be shared instances, so evaluating a request allocates little.
/// Equality is structural, as in Cedar: sets compare as sets (order and duplicates ignored), records by key/value,
/// and values of different kinds are simply unequal.
/// </summary>
public sealed class CedarValue : IEquatable<CedarValue>
{
    private const int SmallLongMin = -128;
    private const int SmallLongMax = 1024;
    private const int LinearSearchLimit = 8;

    private static readonly CedarValue[] SmallLongs = CreateSmallLongs();

    /// <summary>The shared <c>true</c> value.</summary>
    public static readonly CedarValue True = new(CedarValueKind.Bool, 1, null);

    /// <summary>The shared <c>false</c> value.</summary>
    public static readonly CedarValue False = new(CedarValueKind.Bool, 0, null);

    /// <summary>The shared empty record, e.g. the context of a request that supplies none.</summary>
    public static readonly CedarValue EmptyRecord =
        new(CedarValueKind.Record, 0, new Dictionary<string, CedarValue>(StringComparer.Ordinal));

    private readonly long _scalar;
    private readonly object? _ref;
    private int _hash;
    private bool _hashComputed;

    private CedarValue(CedarValueKind kind, long scalar, object? reference)
    {
        Kind = kind;
        _scalar = scalar;
        _ref = reference;
    }

    /// <summary>Which of Cedar's value types this is; decides which accessor may be used.</summary>
    public CedarValueKind Kind { get; }

    /// <summary>Returns the shared boolean instance, so no allocation happens.</summary>
    public static CedarValue FromBool(bool value) => value ? True : False;

    /// <summary>Wraps a long; values in a small range are cached because counters and flags are common.</summary>
    public static CedarValue FromLong(long value) =>
        value is >= SmallLongMin and <= SmallLongMax
            ? SmallLongs[value - SmallLongMin]
            : new CedarValue(CedarValueKind.Long, value, null);

    /// <summary>Wraps a string (compared ordinally, like Cedar's byte-wise string equality).</summary>
    public static CedarValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new CedarValue(CedarValueKind.String, 0, value);
    }

    /// <summary>Wraps an entity reference; the entity does not have to exist in the store.</summary>
    public static CedarValue FromEntity(EntityUid uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        return new CedarValue(CedarValueKind.Entity, 0, uid);
    }

    /// <summary>Builds a set; duplicates (by structural equality) are dropped because Cedar sets have none.</summary>
    public static CedarValue SetOf(IEnumerable<CedarValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<CedarValue>();
        HashSet<CedarValue>? seen = null;
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            if (list.Count < LinearSearchLimit && seen is null)
            {
                if (!ContainsLinear(list, item))
                {
                    list.Add(item);
                }

                continue;
            }

            seen ??= new HashSet<CedarValue>(list);
            if (seen.Add(item))
            {
                list.Add(item);
            }
        }

        return new CedarValue(CedarValueKind.Set, 0, new SetData(list.ToArray()));
    }

    /// <summary>Builds a set from the given elements; see <see cref="SetOf(IEnumerable{CedarValue})"/>.</summary>
    public static CedarValue SetOf(params CedarValue[] items) => SetOf((IEnumerable<CedarValue>)items);

    /// <summary>Builds a record; a repeated key is rejected because Cedar records cannot hold one.</summary>
    /// <exception cref="ArgumentException">A key occurs twice.</exception>
    public static CedarValue RecordOf(IEnumerable<KeyValuePair<string, CedarValue>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var map = new Dictionary<string, CedarValue>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(attributes));
            if (!map.TryAdd(key, value))
            {
                throw new ArgumentException($"Duplicate record key \"{key}\".", nameof(attributes));
            }
        }

        return map.Count == 0 ? EmptyRecord : new CedarValue(CedarValueKind.Record, 0, map);
    }

    /// <summary>
    /// Reads a value in Cedar's JSON value format: JSON bool/number/string/array/object map to bool/long/string/set/record,
    /// and <c>{"__entity": {"type": "T", "id": "x"}}</c> is an entity reference. Numbers must be integers that fit in
    /// 64 bits (read exactly, never through a double); <c>null</c> and extension values (<c>__extn</c>) are rejected.
    /// </summary>
    /// <exception cref="JsonException">The JSON is not a valid Cedar value.</exception>
    public static CedarValue FromJson(JsonElement json) => CedarJsonReader.ReadValue(json, "value");

    /// <summary>The boolean; only valid when <see cref="Kind"/> is <see cref="CedarValueKind.Bool"/>.</summary>
    public bool AsBool() => Kind == CedarValueKind.Bool ? _scalar != 0 : throw WrongKind(CedarValueKind.Bool);

    /// <summary>The long; only valid when <see cref="Kind"/> is <see cref="CedarValueKind.Long"/>.</summary>
    public long AsLong() => Kind == CedarValueKind.Long ? _scalar : throw WrongKind(CedarValueKind.Long);

    /// <summary>The string; only valid when <see cref="Kind"/> is <see cref="CedarValueKind.String"/>.</summary>
    public string AsString() => Kind == CedarValueKind.String ? (string)_ref! : throw WrongKind(CedarValueKind.String);

    /// <summary>The entity reference; only valid when <see cref="Kind"/> is <see cref="CedarValueKind.Entity"/>.</summary>
    public EntityUid AsEntity() => Kind == CedarValueKind.Entity ? (EntityUid)_ref! : throw WrongKind(CedarValueKind.Entity);

    /// <summary>The distinct elements in first-seen order; only valid for <see cref="CedarValueKind.Set"/>.</summary>
    public IReadOnlyList<CedarValue> AsSet() => Kind == CedarValueKind.Set ? ((SetData)_ref!).Items : throw WrongKind(CedarValueKind.Set);

    /// <summary>The attributes; only valid when <see cref="Kind"/> is <see cref="CedarValueKind.Record"/>.</summary>
    public IReadOnlyDictionary<string, CedarValue> AsRecord() =>
        Kind == CedarValueKind.Record ? (Dictionary<string, CedarValue>)_ref! : throw WrongKind(CedarValueKind.Record);

    internal bool BoolValue => _scalar != 0;

    internal long LongValue => _scalar;

    internal string StringValue => (string)_ref!;

    internal EntityUid EntityValue => (EntityUid)_ref!;

    internal CedarValue[] SetItems => ((SetData)_ref!).Items;

    internal Dictionary<string, CedarValue> RecordMap => (Dictionary<string, CedarValue>)_ref!;

    /// <summary>Set membership by structural equality; large sets get a lazily built hash index.</summary>
    internal bool SetContains(CedarValue value)
    {
        var data = (SetData)_ref!;
        var items = data.Items;
        if (items.Length <= LinearSearchLimit)
        {
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i].Equals(value))
                {
                    return true;
                }
            }

            return false;
        }

        var index = Volatile.Read(ref data.Index);
        if (index is null)
        {
            index = new HashSet<CedarValue>(items);
            Volatile.Write(ref data.Index, index);
        }

        return index.Contains(value);
    }

    /// <inheritdoc />
    public bool Equals(CedarValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        switch (Kind)
        {
            case CedarValueKind.Bool:
            case CedarValueKind.Long:
                return _scalar == other._scalar;
            case CedarValueKind.String:
                return string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal);
            case CedarValueKind.Entity:
                return ((EntityUid)_ref!).Equals((EntityUid)other._ref!);
            case CedarValueKind.Set:
                return SetEquals(other);
            default:
                return RecordEquals(other);
        }
    }

    /// <summary>Equality of two sets: the same size and every item of this one in the other.</summary>
    private bool SetEquals(CedarValue other)
    {
        var mine = SetItems;
        if (mine.Length != other.SetItems.Length)
        {
            return false;
        }

        for (var i = 0; i < mine.Length; i++)
        {
            if (!other.SetContains(mine[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Equality of two records: the same keys with equal values.</summary>
    private bool RecordEquals(CedarValue other)
    {
        var mine = RecordMap;
        var theirs = other.RecordMap;
        if (mine.Count != theirs.Count)
        {
            return false;
        }

        foreach (var (key, value) in mine)
        {
            if (!theirs.TryGetValue(key, out var otherValue) || !value.Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CedarValue);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (Volatile.Read(ref _hashComputed))
        {
            return _hash;
        }

        var hash = Kind switch
        {
            CedarValueKind.Bool or CedarValueKind.Long => _scalar.GetHashCode(),
            CedarValueKind.String => StringComparer.Ordinal.GetHashCode((string)_ref!),
            CedarValueKind.Entity => _ref!.GetHashCode(),
            CedarValueKind.Set => HashSetItems(SetItems),
            _ => HashRecord(RecordMap),
        };
        hash ^= (int)Kind * 0x3C6EF372;
        _hash = hash;
        Volatile.Write(ref _hashComputed, true); // publish the hash before the flag (benign race otherwise)
        return hash;
    }

    /// <summary>Renders the value in Cedar expression syntax, which is also how error messages quote values.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    /// <summary>Quotes a string the way Cedar source writes it, so the result parses back to the same string.</summary>
    internal static string QuoteString(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendQuoted(builder, value);
        return builder.ToString();
    }

    private void Append(StringBuilder builder)
    {
        switch (Kind)
        {
            case CedarValueKind.Bool:
                builder.Append(_scalar != 0 ? "true" : "false");
                break;
            case CedarValueKind.Long:
                builder.Append(_scalar.ToString(CultureInfo.InvariantCulture));
                break;
            case CedarValueKind.String:
                AppendQuoted(builder, (string)_ref!);
                break;
            case CedarValueKind.Entity:
                builder.Append(((EntityUid)_ref!).Type).Append("::");
                AppendQuoted(builder, ((EntityUid)_ref!).Id);
                break;
            case CedarValueKind.Set:
                builder.Append('[');
                var items = SetItems;
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    items[i].Append(builder);
                }

                builder.Append(']');
                break;
            default:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in RecordMap)
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    AppendQuoted(builder, key);
                    builder.Append(": ");
                    value.Append(builder);
                }

                builder.Append('}');
                break;
        }
    }

    private static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u{").Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append('}');
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static int HashSetItems(CedarValue[] items)
    {
        // Order-independent combination, because equal sets may list their elements in different orders.
        var hash = items.Length;
        foreach (var item in items)
        {
            hash += item.GetHashCode() * 31 + 17;
        }

        return hash;
    }

    private static int HashRecord(Dictionary<string, CedarValue> map)
    {
        var hash = map.Count;
        foreach (var (key, value) in map)
        {
            hash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value.GetHashCode());
        }

        return hash;
    }

    private static bool ContainsLinear(List<CedarValue> list, CedarValue item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Equals(item))
            {
                return true;
            }
        }

        return false;
    }

    private static CedarValue[] CreateSmallLongs()
    {
        var values = new CedarValue[SmallLongMax - SmallLongMin + 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new CedarValue(CedarValueKind.Long, i + SmallLongMin, null);
        }

        return values;
    }

    private InvalidOperationException WrongKind(CedarValueKind expected) =>
        new($"Expected a Cedar {expected} value but this value is a {Kind}.");

    /// <summary>Set storage: the distinct elements plus an index built on first lookup in a large set.</summary>
    private sealed class SetData(CedarValue[] items)
    {
        public CedarValue[] Items { get; } = items;

        // A field rather than a property so Volatile can publish it safely.
        public HashSet<CedarValue>? Index;
    }
}
