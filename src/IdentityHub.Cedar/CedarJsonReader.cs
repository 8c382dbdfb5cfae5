using System.Text.Json;

namespace IdentityHub.Cedar;

/// <summary>
/// Reads Cedar's JSON formats (values, entity references, entities, requests) from <see cref="JsonElement"/>s.
/// Errors are <see cref="JsonException"/>s whose message names the offending location (e.g. <c>entities[2].attrs.age</c>),
/// so a caller can report bad input precisely.
/// </summary>
internal static class CedarJsonReader
{
    /// <summary>
    /// Reads one value in Cedar's schema-less JSON value format. Sets and records may nest at most
    /// <see cref="PolicySet.MaxNestingDepth"/> levels: the reader recurses per level (and so would the values' equality
    /// and hashing), and a <see cref="JsonElement"/> can come from a document parsed with any depth limit.
    /// </summary>
    public static CedarValue ReadValue(JsonElement json, string path) => ReadValue(json, path, 1);

    private static CedarValue ReadValue(JsonElement json, string path, int depth)
    {
        // Depth counts sets and records (the value itself is level 1): a scalar inside the deepest allowed one is fine.
        if (depth > PolicySet.MaxNestingDepth && json.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
        {
            throw new JsonException($"{path}: nested more than {PolicySet.MaxNestingDepth} levels deep.");
        }

        switch (json.ValueKind)
        {
            case JsonValueKind.True:
                return CedarValue.True;
            case JsonValueKind.False:
                return CedarValue.False;
            case JsonValueKind.String:
                return CedarValue.FromString(json.GetString()!);
            case JsonValueKind.Number:
                if (json.TryGetInt64(out var number))
                {
                    return CedarValue.FromLong(number);
                }

                throw new JsonException($"{path}: {json.GetRawText()} is not a 64-bit integer (Cedar has no other numbers).");
            case JsonValueKind.Array:
            {
                var items = new List<CedarValue>();
                var index = 0;
                foreach (var item in json.EnumerateArray())
                {
                    items.Add(ReadValue(item, path + "[" + index + "]", depth + 1));
                    index++;
                }

                return CedarValue.SetOf(items);
            }

            case JsonValueKind.Object:
                return ReadObjectValue(json, path, depth);
            default:
                throw new JsonException($"{path}: null is not a Cedar value.");
        }
    }

    /// <summary>Reads an entity reference written as <c>{"type","id"}</c> or <c>{"__entity": {"type","id"}}</c>.</summary>
    public static EntityUid ReadUid(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{path}: expected an entity reference object {{\"type\": ..., \"id\": ...}}.");
        }

        if (json.TryGetProperty("__entity", out var escaped))
        {
            return ReadTypeAndId(escaped, path + ".__entity");
        }

        return ReadTypeAndId(json, path);
    }

    /// <summary>Reads the entity array format into a store.</summary>
    public static EntityStore ReadEntities(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("entities: expected a JSON array of entities.");
        }

        var entities = new List<Entity>();
        var seen = new HashSet<EntityUid>();
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            var path = "entities[" + index + "]";
            var entity = ReadEntity(element, path);
            if (!seen.Add(entity.Uid))
            {
                throw new JsonException($"{path}: duplicate entity {entity.Uid}.");
            }

            entities.Add(entity);
            index++;
        }

        return new EntityStore(entities);
    }

    /// <summary>Reads <c>principal</c>, <c>action</c>, <c>resource</c> and the optional <c>context</c> record.</summary>
    public static AuthorizationRequest ReadRequest(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("request: expected a JSON object.");
        }

        var principal = ReadUid(RequiredProperty(json, "principal", "request"), "principal");
        var action = ReadUid(RequiredProperty(json, "action", "request"), "action");
        var resource = ReadUid(RequiredProperty(json, "resource", "request"), "resource");
        var context = CedarValue.EmptyRecord;
        if (json.TryGetProperty("context", out var contextJson) && contextJson.ValueKind != JsonValueKind.Null)
        {
            context = ReadValue(contextJson, "context");
            if (context.Kind != CedarValueKind.Record)
            {
                throw new JsonException("context: expected a JSON object (a Cedar record).");
            }
        }

        return new AuthorizationRequest(principal, action, resource, context);
    }

    /// <summary>Returns a required property or fails with a message naming it.</summary>
    public static JsonElement RequiredProperty(JsonElement json, string name, string path)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            throw new JsonException($"{path}: missing required property \"{name}\".");
        }

        return value;
    }

    private static Entity ReadEntity(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{path}: expected an entity object.");
        }

        var uid = ReadUid(RequiredProperty(json, "uid", path), path + ".uid");
        Dictionary<string, CedarValue>? attributes = null;
        Dictionary<string, CedarValue>? tags = null;
        List<EntityUid>? parents = null;
        foreach (var property in json.EnumerateObject())
        {
            switch (property.Name)
            {
                case "attrs":
                    attributes = ReadMap(property.Value, path + ".attrs");
                    break;
                case "tags":
                    tags = ReadMap(property.Value, path + ".tags");
                    break;
                case "parents":
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new JsonException($"{path}.parents: expected an array of entity references.");
                    }

                    parents = [];
                    var index = 0;
                    foreach (var parent in property.Value.EnumerateArray())
                    {
                        parents.Add(ReadUid(parent, path + ".parents[" + index + "]"));
                        index++;
                    }

                    break;
            }
        }

        return new Entity(uid, attributes, parents, tags);
    }

    private static Dictionary<string, CedarValue>? ReadMap(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{path}: expected a JSON object.");
        }

        var map = new Dictionary<string, CedarValue>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            var value = ReadValue(property.Value, path + "." + property.Name);
            if (!map.TryAdd(property.Name, value))
            {
                throw new JsonException($"{path}: duplicate key \"{property.Name}\".");
            }
        }

        return map;
    }

    private static CedarValue ReadObjectValue(JsonElement json, string path, int depth)
    {
        var count = 0;
        JsonProperty only = default;
        foreach (var property in json.EnumerateObject())
        {
            only = property;
            count++;
        }

        if (count == 1)
        {
            switch (only.Name)
            {
                case "__entity":
                    return CedarValue.FromEntity(ReadTypeAndId(only.Value, path + ".__entity"));
                case "__extn":
                    throw new JsonException($"{path}: extension values (__extn) are not supported.");
                case "__expr":
                    throw new JsonException($"{path}: the __expr escape is not supported by Cedar.");
            }
        }

        var map = new Dictionary<string, CedarValue>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            var value = ReadValue(property.Value, path + "." + property.Name, depth + 1);
            if (!map.TryAdd(property.Name, value))
            {
                throw new JsonException($"{path}: duplicate key \"{property.Name}\".");
            }
        }

        return CedarValue.RecordOf(map);
    }

    private static EntityUid ReadTypeAndId(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object ||
            !json.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
            !json.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            throw new JsonException($"{path}: expected {{\"type\": \"<entity type>\", \"id\": \"<id>\"}} with string values.");
        }

        var typeName = type.GetString()!;
        if (!CedarLexer.IsValidEntityTypeName(typeName))
        {
            throw new JsonException($"{path}.type: \"{typeName}\" is not a valid entity type name (identifiers separated by ::).");
        }

        return new EntityUid(typeName, id.GetString()!);
    }
}
