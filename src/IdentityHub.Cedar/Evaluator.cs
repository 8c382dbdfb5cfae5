namespace IdentityHub.Cedar;

/// <summary>
/// Evaluates parsed policies for one request. Errors do not use exceptions (they would dominate the cost of a policy
/// that errors on every request): an erroring sub-expression returns null and records <see cref="Error"/>, and every
/// operator propagates null upwards. Semantics follow the Cedar reference evaluator: strict typing, short-circuit
/// <c>&amp;&amp;</c>/<c>||</c>/<c>if</c>, overflow-checked arithmetic, and both operands of other binary operators
/// evaluated before their types are checked.
/// </summary>
internal sealed class Evaluator
{
    private readonly AuthorizationRequest _request;
    private readonly EntityStore _store;

    // The current recursion depth of Eval.
    private int _depth;

    public Evaluator(AuthorizationRequest request, EntityStore store)
    {
        _request = request;
        _store = store;
    }

    /// <summary>Why the last evaluation failed (set when a method returns null).</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// True when the scope matches, every <c>when</c> is true and every <c>unless</c> false (checked in source order,
    /// stopping at the first failure); false when not satisfied; null when evaluation errored.
    /// </summary>
    public bool? IsSatisfied(Policy policy)
    {
        if (!policy.Principal.Matches(_request.Principal, _store) ||
            !policy.Action.Matches(_request.Action, _store) ||
            !policy.Resource.Matches(_request.Resource, _store))
        {
            return false;
        }

        var conditions = policy.Conditions;
        var isWhen = policy.ConditionIsWhen;
        for (var i = 0; i < conditions.Length; i++)
        {
            var value = Eval(conditions[i]);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != CedarValueKind.Bool)
            {
                Fail(conditions[i], $"type error: a {(isWhen[i] ? "when" : "unless")} condition must be a boolean, got {Describe(value)}");
                return null;
            }

            if (value.BoolValue != isWhen[i])
            {
                return false;
            }
        }

        return true;
    }

    private CedarValue? Fail(Expr at, string message)
    {
        Error = $"{message} (at {at.Line}:{at.Column})";
        return null;
    }

    private CedarValue? TypeError(Expr at, string expected, CedarValue actual) =>
        Fail(at, $"type error: expected {expected}, got {Describe(actual)}");

    private static bool BothOfKind(CedarValueKind kind, CedarValue a, CedarValue b) => a.Kind == kind && b.Kind == kind;

    private static string Describe(CedarValue value) => value.Kind switch
    {
        CedarValueKind.Bool => "bool",
        CedarValueKind.Long => "long",
        CedarValueKind.String => "string",
        CedarValueKind.Entity => "entity of type " + value.EntityValue.Type,
        CedarValueKind.Set => "set",
        _ => "record",
    };

    private CedarValue? Eval(Expr e)
    {
        // Parsed trees are at most PolicySet.MaxNestingDepth deep, so this never fires for them; it keeps any other
        // tree from overflowing the stack, which would kill the process. (A counter, not a stack probe: this is the
        // evaluator's hot path, and the parser already bounds the trees.)
        if (_depth >= PolicySet.MaxNestingDepth)
        {
            return Fail(e, $"expression nested more than {PolicySet.MaxNestingDepth} levels deep");
        }

        _depth++;
        var value = EvalNode(e);
        _depth--;
        return value;
    }

    private CedarValue? EvalNode(Expr e)
    {
        switch (e.Op)
        {
            case ExprOp.Literal:
                return e.Value;
            case ExprOp.Var:
                return e.Variable switch
                {
                    0 => _request.PrincipalValue,
                    1 => _request.ActionValue,
                    2 => _request.ResourceValue,
                    _ => _request.Context,
                };
            case ExprOp.And:
            case ExprOp.Or:
                return EvalLogical(e);
            case ExprOp.Not:
            case ExprOp.Neg:
            case ExprOp.Like:
            case ExprOp.Is:
            case ExprOp.IsEmpty:
                return EvalUnary(e);
            case ExprOp.If:
                return EvalIf(e);
            case ExprOp.Has:
                return EvalHas(e);
            case ExprOp.GetAttr:
                return EvalGetAttr(e);
            case ExprOp.SetLiteral:
                return EvalSetLiteral(e);
            case ExprOp.RecordLiteral:
                return EvalRecordLiteral(e);
            default:
                return EvalBinary(e);
        }
    }

    /// <summary>The operators of one operand: <c>!</c>, unary <c>-</c>, <c>like</c>, <c>is</c> and <c>isEmpty()</c>.</summary>
    private CedarValue? EvalUnary(Expr e)
    {
        var v = Eval(e.A!);
        if (v is null)
        {
            return null;
        }

        switch (e.Op)
        {
            case ExprOp.Not:
                return v.Kind == CedarValueKind.Bool ? CedarValue.FromBool(!v.BoolValue) : TypeError(e, "bool", v);
            case ExprOp.Neg:
                if (v.Kind != CedarValueKind.Long)
                {
                    return TypeError(e, "long", v);
                }

                return v.LongValue == long.MinValue
                    ? Fail(e, "integer overflow in negation")
                    : CedarValue.FromLong(-v.LongValue);
            case ExprOp.Like:
                return v.Kind == CedarValueKind.String
                    ? CedarValue.FromBool(e.Pattern!.IsMatch(v.StringValue))
                    : TypeError(e, "string", v);
            case ExprOp.Is:
                return v.Kind == CedarValueKind.Entity
                    ? CedarValue.FromBool(string.Equals(v.EntityValue.Type, e.Name, StringComparison.Ordinal))
                    : TypeError(e, "entity", v);
            default:
                return v.Kind == CedarValueKind.Set ? CedarValue.FromBool(v.SetItems.Length == 0) : TypeError(e, "set", v);
        }
    }

    private CedarValue? EvalIf(Expr e)
    {
        var c = Eval(e.A!);
        if (c is null)
        {
            return null;
        }

        if (c.Kind != CedarValueKind.Bool)
        {
            return TypeError(e, "bool", c);
        }

        return Eval(c.BoolValue ? e.B! : e.C!);
    }

    private CedarValue? EvalSetLiteral(Expr e)
    {
        var items = e.Items!;
        var values = new CedarValue[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var v = Eval(items[i]);
            if (v is null)
            {
                return null;
            }

            values[i] = v;
        }

        return CedarValue.SetOf(values);
    }

    private CedarValue? EvalRecordLiteral(Expr e)
    {
        var items = e.Items!;
        var keys = e.Keys!;
        var pairs = new KeyValuePair<string, CedarValue>[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var v = Eval(items[i]);
            if (v is null)
            {
                return null;
            }

            pairs[i] = new KeyValuePair<string, CedarValue>(keys[i], v);
        }

        return CedarValue.RecordOf(pairs);
    }

    private CedarValue? EvalLogical(Expr e)
    {
        var isAnd = e.Op == ExprOp.And;
        var left = Eval(e.A!);
        if (left is null)
        {
            return null;
        }

        if (left.Kind != CedarValueKind.Bool)
        {
            return TypeError(e, "bool", left);
        }

        // Short-circuit: the right operand is not evaluated (and so cannot error) once the result is known.
        if (left.BoolValue != isAnd)
        {
            return left;
        }

        var right = Eval(e.B!);
        if (right is null)
        {
            return null;
        }

        return right.Kind == CedarValueKind.Bool ? right : TypeError(e, "bool", right);
    }

    private CedarValue? EvalHas(Expr e)
    {
        var v = Eval(e.A!);
        if (v is null)
        {
            return null;
        }

        switch (v.Kind)
        {
            case CedarValueKind.Record:
                return CedarValue.FromBool(v.RecordMap.ContainsKey(e.Name!));
            case CedarValueKind.Entity:
                // An entity missing from the store has no attributes, which is not an error for `has`.
                return CedarValue.FromBool(
                    _store.TryGetEntity(v.EntityValue, out var entity) && entity.Attributes.ContainsKey(e.Name!));
            default:
                return TypeError(e, "record or entity", v);
        }
    }

    private CedarValue? EvalGetAttr(Expr e)
    {
        var v = Eval(e.A!);
        if (v is null)
        {
            return null;
        }

        switch (v.Kind)
        {
            case CedarValueKind.Record:
                return v.RecordMap.TryGetValue(e.Name!, out var value)
                    ? value
                    : Fail(e, $"record does not have the attribute \"{e.Name}\"");
            case CedarValueKind.Entity:
                if (!_store.TryGetEntity(v.EntityValue, out var entity))
                {
                    return Fail(e, $"entity {v.EntityValue} does not exist");
                }

                return entity.Attributes.TryGetValue(e.Name!, out var attribute)
                    ? attribute
                    : Fail(e, $"entity {v.EntityValue} does not have the attribute \"{e.Name}\"");
            default:
                return TypeError(e, "record or entity", v);
        }
    }

    private CedarValue? EvalBinary(Expr e)
    {
        var a = Eval(e.A!);
        if (a is null)
        {
            return null;
        }

        var b = Eval(e.B!);
        if (b is null)
        {
            return null;
        }

        switch (e.Op)
        {
            case ExprOp.Eq:
                return CedarValue.FromBool(a.Equals(b));
            case ExprOp.NotEq:
                return CedarValue.FromBool(!a.Equals(b));
            case ExprOp.Less:
            case ExprOp.LessEq:
            case ExprOp.Greater:
            case ExprOp.GreaterEq:
                return EvalComparison(e, a, b);
            case ExprOp.Add:
            case ExprOp.Sub:
            case ExprOp.Mul:
                return EvalArithmetic(e, a, b);
            case ExprOp.In:
                return EvalIn(e, a, b);
            case ExprOp.Contains:
                return a.Kind == CedarValueKind.Set ? CedarValue.FromBool(a.SetContains(b)) : TypeError(e, "set", a);
            case ExprOp.ContainsAll:
            case ExprOp.ContainsAny:
                return EvalContainsAllOrAny(e, a, b);
            default:
                return EvalTag(e, a, b);
        }
    }

    /// <summary><c>&lt; &lt;= &gt; &gt;=</c> on two longs.</summary>
    private CedarValue? EvalComparison(Expr e, CedarValue a, CedarValue b)
    {
        if (!BothOfKind(CedarValueKind.Long, a, b))
        {
            return TypeError(e, "long", a.Kind != CedarValueKind.Long ? a : b);
        }

        var x = a.LongValue;
        var y = b.LongValue;
        return CedarValue.FromBool(e.Op switch
        {
            ExprOp.Less => x < y,
            ExprOp.LessEq => x <= y,
            ExprOp.Greater => x > y,
            _ => x >= y,
        });
    }

    /// <summary><c>containsAll</c> / <c>containsAny</c> on two sets.</summary>
    private CedarValue? EvalContainsAllOrAny(Expr e, CedarValue a, CedarValue b)
    {
        if (!BothOfKind(CedarValueKind.Set, a, b))
        {
            return TypeError(e, "set", a.Kind != CedarValueKind.Set ? a : b);
        }

        var wantAll = e.Op == ExprOp.ContainsAll;
        foreach (var item in b.SetItems)
        {
            if (a.SetContains(item) != wantAll)
            {
                return CedarValue.FromBool(!wantAll);
            }
        }

        return CedarValue.FromBool(wantAll);
    }

    private CedarValue? EvalArithmetic(Expr e, CedarValue a, CedarValue b)
    {
        if (!BothOfKind(CedarValueKind.Long, a, b))
        {
            return TypeError(e, "long", a.Kind != CedarValueKind.Long ? a : b);
        }

        var x = a.LongValue;
        var y = b.LongValue;
        long result;
        switch (e.Op)
        {
            case ExprOp.Add:
                result = unchecked(x + y);
                if (((x ^ result) & (y ^ result)) < 0)
                {
                    return Fail(e, $"integer overflow in {x} + {y}");
                }

                break;
            case ExprOp.Sub:
                result = unchecked(x - y);
                if (((x ^ y) & (x ^ result)) < 0)
                {
                    return Fail(e, $"integer overflow in {x} - {y}");
                }

                break;
            default:
                var product = (Int128)x * y;
                if (product > long.MaxValue || product < long.MinValue)
                {
                    return Fail(e, $"integer overflow in {x} * {y}");
                }

                result = (long)product;
                break;
        }

        return CedarValue.FromLong(result);
    }

    private CedarValue? EvalIn(Expr e, CedarValue a, CedarValue b)
    {
        if (a.Kind != CedarValueKind.Entity)
        {
            return TypeError(e, "entity on the left of 'in'", a);
        }

        var uid = a.EntityValue;
        if (b.Kind == CedarValueKind.Entity)
        {
            return CedarValue.FromBool(_store.IsDescendantOrSelf(uid, b.EntityValue));
        }

        if (b.Kind != CedarValueKind.Set)
        {
            return TypeError(e, "entity or set of entities on the right of 'in'", b);
        }

        // Like Cedar, every element must be an entity even when an earlier one already matches.
        var items = b.SetItems;
        foreach (var item in items)
        {
            if (item.Kind != CedarValueKind.Entity)
            {
                return TypeError(e, "set of entities on the right of 'in'", item);
            }
        }

        foreach (var item in items)
        {
            if (_store.IsDescendantOrSelf(uid, item.EntityValue))
            {
                return CedarValue.True;
            }
        }

        return CedarValue.False;
    }

    private CedarValue? EvalTag(Expr e, CedarValue a, CedarValue b)
    {
        if (a.Kind != CedarValueKind.Entity)
        {
            return TypeError(e, "entity", a);
        }

        if (b.Kind != CedarValueKind.String)
        {
            return TypeError(e, "string tag name", b);
        }

        var found = _store.TryGetEntity(a.EntityValue, out var entity);
        if (e.Op == ExprOp.HasTag)
        {
            return CedarValue.FromBool(found && entity!.Tags.ContainsKey(b.StringValue));
        }

        if (!found)
        {
            return Fail(e, $"entity {a.EntityValue} does not exist");
        }

        return entity!.Tags.TryGetValue(b.StringValue, out var tag)
            ? tag
            : Fail(e, $"entity {a.EntityValue} does not have the tag \"{b.StringValue}\"");
    }
}
