namespace IdentityHub.Cedar;

/// <summary>Operators of the expression tree (after desugaring, e.g. <c>x is T in y</c> becomes <c>Is &amp;&amp; In</c>).</summary>
internal enum ExprOp
{
    Literal, Var,
    And, Or, Not, Neg, If,
    Eq, NotEq, Less, LessEq, Greater, GreaterEq,
    Add, Sub, Mul,
    In, Has, GetAttr, Like, Is,
    Contains, ContainsAll, ContainsAny, IsEmpty, GetTag, HasTag,
    SetLiteral, RecordLiteral,
}

/// <summary>
/// One node of a parsed condition. A single sealed node type with an operator tag keeps the evaluator a tight switch;
/// constant sub-trees (literal sets/records) are folded into <see cref="Value"/> at parse time so evaluation never
/// rebuilds them. No tree is built deeper than <see cref="PolicySet.MaxNestingDepth"/> (see <see cref="Depth"/>), so
/// the recursive evaluator cannot overflow the stack.
/// </summary>
internal sealed class Expr
{
    private Expr(ExprOp op, int line, int column)
    {
        Op = op;
        Line = line;
        Column = column;
    }

    public ExprOp Op { get; }

    /// <summary>Source position, used to make evaluation error messages traceable to the policy text.</summary>
    public int Line { get; }

    public int Column { get; }

    public Expr? A { get; private init; }

    public Expr? B { get; private init; }

    public Expr? C { get; private init; }

    /// <summary>The constant of a <see cref="ExprOp.Literal"/>.</summary>
    public CedarValue? Value { get; private init; }

    /// <summary>0 principal, 1 action, 2 resource, 3 context.</summary>
    public int Variable { get; private init; }

    /// <summary>Attribute name (has, getattr) or entity type (is).</summary>
    public string? Name { get; private init; }

    public LikePattern? Pattern { get; private init; }

    /// <summary>Elements of a set literal, or values of a record literal (parallel to <see cref="Keys"/>).</summary>
    public Expr[]? Items { get; private init; }

    public string[]? Keys { get; private init; }

    /// <summary>
    /// The height of this sub-tree (1 for a leaf). Long operator chains (<c>a &amp;&amp; b &amp;&amp; c ...</c>,
    /// <c>x.a.a.a ...</c>) are parsed by loops, not recursion, so only this depth bounds what the evaluator recurses over.
    /// </summary>
    public int Depth { get; private init; } = 1;

    public static Expr Literal(CedarValue value, int line, int column) =>
        new(ExprOp.Literal, line, column) { Value = value };

    public static Expr Var(int variable, int line, int column) =>
        new(ExprOp.Var, line, column) { Variable = variable };

    public static Expr Unary(ExprOp op, Expr operand, int line, int column) =>
        Bounded(new(op, line, column) { A = operand, Depth = operand.Depth + 1 });

    public static Expr Binary(ExprOp op, Expr left, Expr right, int line, int column) =>
        Bounded(new(op, line, column) { A = left, B = right, Depth = Math.Max(left.Depth, right.Depth) + 1 });

    public static Expr If(Expr condition, Expr then, Expr otherwise, int line, int column) =>
        Bounded(new(ExprOp.If, line, column)
        {
            A = condition, B = then, C = otherwise, Depth = Math.Max(condition.Depth, Math.Max(then.Depth, otherwise.Depth)) + 1,
        });

    public static Expr WithName(ExprOp op, Expr target, string name, int line, int column) =>
        Bounded(new(op, line, column) { A = target, Name = name, Depth = target.Depth + 1 });

    public static Expr Like(Expr target, LikePattern pattern, int line, int column) =>
        Bounded(new(ExprOp.Like, line, column) { A = target, Pattern = pattern, Depth = target.Depth + 1 });

    /// <summary>A set literal, folded to a constant when every element is one.</summary>
    public static Expr Set(Expr[] items, int line, int column)
    {
        if (AllLiterals(items))
        {
            var values = new CedarValue[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                values[i] = items[i].Value!;
            }

            return Literal(CedarValue.SetOf(values), line, column);
        }

        return Bounded(new Expr(ExprOp.SetLiteral, line, column) { Items = items, Depth = MaxDepth(items) + 1 });
    }

    /// <summary>A record literal (keys already checked unique), folded to a constant when every value is one.</summary>
    public static Expr Record(string[] keys, Expr[] values, int line, int column)
    {
        if (AllLiterals(values))
        {
            var pairs = new KeyValuePair<string, CedarValue>[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                pairs[i] = new KeyValuePair<string, CedarValue>(keys[i], values[i].Value!);
            }

            return Literal(CedarValue.RecordOf(pairs), line, column);
        }

        return Bounded(new Expr(ExprOp.RecordLiteral, line, column) { Keys = keys, Items = values, Depth = MaxDepth(values) + 1 });
    }

    /// <summary>Refuses a node deeper than <see cref="PolicySet.MaxNestingDepth"/>, at the node's own position.</summary>
    private static Expr Bounded(Expr node) =>
        node.Depth <= PolicySet.MaxNestingDepth
            ? node
            : throw new CedarParseException($"expression nested more than {PolicySet.MaxNestingDepth} levels deep", node.Line, node.Column);

    private static int MaxDepth(Expr[] items)
    {
        var depth = 0;
        foreach (var item in items)
        {
            depth = Math.Max(depth, item.Depth);
        }

        return depth;
    }

    private static bool AllLiterals(Expr[] items)
    {
        foreach (var item in items)
        {
            if (item.Op != ExprOp.Literal)
            {
                return false;
            }
        }

        return true;
    }
}
