namespace IdentityHub.Policies;

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
/// rebuilds them.
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

    public static Expr Literal(CedarValue value, int line, int column) =>
        new(ExprOp.Literal, line, column) { Value = value };

    public static Expr Var(int variable, int line, int column) =>
        new(ExprOp.Var, line, column) { Variable = variable };

    public static Expr Unary(ExprOp op, Expr operand, int line, int column) =>
        new(op, line, column) { A = operand };

    public static Expr Binary(ExprOp op, Expr left, Expr right, int line, int column) =>
        new(op, line, column) { A = left, B = right };

    public static Expr If(Expr condition, Expr then, Expr otherwise, int line, int column) =>
        new(ExprOp.If, line, column) { A = condition, B = then, C = otherwise };

    public static Expr WithName(ExprOp op, Expr target, string name, int line, int column) =>
        new(op, line, column) { A = target, Name = name };

    public static Expr Like(Expr target, LikePattern pattern, int line, int column) =>
        new(ExprOp.Like, line, column) { A = target, Pattern = pattern };

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

        return new Expr(ExprOp.SetLiteral, line, column) { Items = items };
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

        return new Expr(ExprOp.RecordLiteral, line, column) { Keys = keys, Items = values };
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
