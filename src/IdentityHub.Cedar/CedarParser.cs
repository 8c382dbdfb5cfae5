using System.Globalization;
using System.Runtime.CompilerServices;

namespace IdentityHub.Cedar;

/// <summary>
/// Recursive-descent parser for Cedar policies, following the precedence of the official grammar:
/// <c>if</c> (loosest) &lt; <c>||</c> &lt; <c>&amp;&amp;</c> &lt; relations (<c>== != &lt; &lt;= &gt; &gt;= in has like is</c>,
/// non-associative) &lt; <c>+ -</c> &lt; <c>*</c> &lt; unary <c>! -</c> (up to four) &lt; member access and method calls.
/// It also applies the checks Cedar performs when building its AST (reserved words, duplicate keys, literal ranges...),
/// so everything it accepts is a valid Cedar policy.
/// </summary>
internal sealed class CedarParser
{
    private static readonly HashSet<string> Variables = new(StringComparer.Ordinal) { "principal", "action", "resource", "context" };

    private static readonly HashSet<string> ExtensionFunctions = new(StringComparer.Ordinal)
    {
        "ip", "decimal", "datetime", "duration",
    };

    private static readonly HashSet<string> ExtensionMethods = new(StringComparer.Ordinal)
    {
        "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange", "lessThan", "lessThanOrEqual", "greaterThan",
        "greaterThanOrEqual", "offset", "durationSince", "toDate", "toTime", "toDays", "toHours", "toMinutes",
        "toSeconds", "toMilliseconds",
    };

    private static readonly HashSet<string> BuiltinMethods = new(StringComparer.Ordinal)
    {
        "contains", "containsAll", "containsAny", "isEmpty", "getTag", "hasTag",
    };

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _pos;

    // How many nested constructs (parentheses, sets, records, if, arguments) the recursion is inside right now.
    private int _depth;

    private CedarParser(string text)
    {
        _text = text;
        _tokens = CedarLexer.Tokenize(text);
    }

    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    private Token Current => _tokens[_pos];

    /// <summary>Parses every policy in the text, numbering them by position.</summary>
    public static List<Policy> ParsePolicies(string text)
    {
        var parser = new CedarParser(text);
        var policies = new List<Policy>();
        while (parser.Current.Kind != TokenKind.Eof)
        {
            policies.Add(parser.ParsePolicy(policies.Count));
        }

        return policies;
    }

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private Token Advance()
    {
        var token = _tokens[_pos];
        if (token.Kind != TokenKind.Eof)
        {
            _pos++;
        }

        return token;
    }

    private bool IsWord(string word) => Current.Kind == TokenKind.Ident && Current.Text == word;

    private Token Expect(TokenKind kind, string description)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {description}, found {Describe(Current)}", Current);
        }

        return Advance();
    }

    private void ExpectWord(string word)
    {
        if (!IsWord(word))
        {
            throw Error($"expected '{word}', found {Describe(Current)}", Current);
        }

        Advance();
    }

    private static CedarParseException Error(string message, Token at) => new(message, at.Line, at.Column);

    /// <summary>
    /// Called before every recursive descent into a nested construct: the parser recurses once per level, so 20,000
    /// opening parentheses would otherwise overflow the stack (which no catch can handle) instead of being an error.
    /// The stack probe also protects a caller on a thread with an unusually small stack.
    /// </summary>
    private void Enter(Token at)
    {
        if (++_depth > PolicySet.MaxNestingDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error($"nested more than {PolicySet.MaxNestingDepth} levels deep", at);
        }
    }

    // No try/finally needed: an error abandons the whole parse, and with it this parser.
    private void Leave() => _depth--;

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Ident => $"'{token.Text}'",
        TokenKind.Int => $"number {token.Text}",
        TokenKind.String => "string literal",
        TokenKind.Slot => $"'?{token.Text}'",
        TokenKind.Eof => "end of input",
        _ => $"'{Symbol(token.Kind)}'",
    };

    private static string Symbol(TokenKind kind) => kind switch
    {
        TokenKind.At => "@", TokenKind.Dot => ".", TokenKind.Comma => ",", TokenKind.Semicolon => ";",
        TokenKind.Colon => ":", TokenKind.ColonColon => "::", TokenKind.LParen => "(", TokenKind.RParen => ")",
        TokenKind.LBrace => "{", TokenKind.RBrace => "}", TokenKind.LBracket => "[", TokenKind.RBracket => "]",
        TokenKind.EqEq => "==", TokenKind.NotEq => "!=", TokenKind.Lt => "<", TokenKind.LtEq => "<=",
        TokenKind.GtEq => ">=", TokenKind.Gt => ">", TokenKind.OrOr => "||", TokenKind.AndAnd => "&&",
        TokenKind.Plus => "+", TokenKind.Minus => "-", TokenKind.Star => "*", TokenKind.Slash => "/",
        TokenKind.Percent => "%", TokenKind.Bang => "!", TokenKind.Assign => "=",
        _ => kind.ToString(),
    };

    private string Unescape(Token token)
    {
        var value = CedarEscapes.Unescape(token.Text, out var error);
        if (error is not null)
        {
            throw Error(error, token);
        }

        return value;
    }

    // ---------------------------------------------------------------- policies and scope

    private Policy ParsePolicy(int index)
    {
        var start = Current;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Current.Kind == TokenKind.At)
        {
            Advance();
            var key = Expect(TokenKind.Ident, "an annotation name after '@'");
            var value = string.Empty;
            if (Current.Kind == TokenKind.LParen)
            {
                Advance();
                value = Unescape(Expect(TokenKind.String, "a string literal as the annotation value"));
                Expect(TokenKind.RParen, "')'");
            }

            if (!annotations.TryAdd(key.Text, value))
            {
                throw Error($"duplicate annotation '@{key.Text}'", key);
            }

            // @id names a policy in decisions and notices, so two policies may not share one (Cedar refuses
            // duplicate policy ids when a set is built): the second is reported where its annotation stands.
            if (key.Text == "id" && !_ids.Add(value))
            {
                throw Error($"duplicate policy id \"{value}\"", key);
            }
        }

        var effectToken = Current;
        if (!IsWord("permit") && !IsWord("forbid"))
        {
            throw Error($"expected 'permit' or 'forbid', found {Describe(effectToken)}", effectToken);
        }

        Advance();
        var effect = effectToken.Text == "permit" ? PolicyEffect.Permit : PolicyEffect.Forbid;
        Expect(TokenKind.LParen, "'(' after the effect");
        var principal = ParsePrincipalOrResource("principal");
        ExpectScopeComma("action");
        var action = ParseActionScope();
        ExpectScopeComma("resource");
        var resource = ParsePrincipalOrResource("resource");
        if (Current.Kind == TokenKind.Comma)
        {
            Advance();
        }

        if (Current.Kind != TokenKind.RParen)
        {
            throw Current.Kind == TokenKind.Ident
                ? Error($"unexpected extra scope element {Describe(Current)}; the scope is (principal, action, resource)", Current)
                : Error($"expected ')' after the scope, found {Describe(Current)}", Current);
        }

        Advance();
        var conditions = new List<Expr>();
        var isWhen = new List<bool>();
        while (Current.Kind == TokenKind.Ident)
        {
            var keyword = Advance();
            if (keyword.Text != "when" && keyword.Text != "unless")
            {
                throw Error($"expected 'when', 'unless' or ';', found {Describe(keyword)}", keyword);
            }

            Expect(TokenKind.LBrace, $"'{{' after '{keyword.Text}'");
            if (Current.Kind == TokenKind.RBrace)
            {
                throw Error($"empty '{keyword.Text}' clause", keyword);
            }

            conditions.Add(ParseExpr());
            isWhen.Add(keyword.Text == "when");
            Expect(TokenKind.RBrace, "'}'");
        }

        var end = Expect(TokenKind.Semicolon, "';' at the end of the policy");
        var text = _text[start.Offset..(end.Offset + 1)];
        return new Policy(index, effect, annotations, new PolicyScope(principal, action, resource), conditions.ToArray(), isWhen.ToArray(), text);
    }

    private void ExpectScopeComma(string next)
    {
        if (Current.Kind == TokenKind.RParen)
        {
            throw Error($"the scope is missing '{next}'; it must list principal, action and resource", Current);
        }

        Expect(TokenKind.Comma, "','");
    }

    private Token ExpectScopeVariable(string name)
    {
        var token = Current;
        if (token.Kind != TokenKind.Ident || token.Text != name)
        {
            var detail = token.Kind == TokenKind.Ident && Variables.Contains(token.Text)
                ? " (the scope lists principal, action, resource in this order)"
                : string.Empty;
            throw Error($"expected '{name}', found {Describe(token)}{detail}", token);
        }

        Advance();
        if (Current.Kind == TokenKind.Colon)
        {
            throw Error($"type constraints like '{name}: Type' are not supported; use '{name} is Type'", Current);
        }

        return token;
    }

    private ScopeConstraint ParsePrincipalOrResource(string name)
    {
        ExpectScopeVariable(name);
        string? entityType = null;
        if (IsWord("is"))
        {
            Advance();
            entityType = ParseTypePath();
        }

        if (Current.Kind == TokenKind.EqEq)
        {
            if (entityType is not null)
            {
                throw Error($"'{name} is Type' cannot be combined with '=='; use 'in' or drop 'is'", Current);
            }

            Advance();
            return new ScopeConstraint(ScopeKind.Eq, null, [ParseScopeEntity()]);
        }

        if (IsWord("in"))
        {
            Advance();
            var entity = ParseScopeEntity();
            if (IsWord("is"))
            {
                throw Error($"write '{name} is Type in Entity' ('is' comes before 'in')", Current);
            }

            return new ScopeConstraint(entityType is null ? ScopeKind.In : ScopeKind.IsIn, entityType, [entity]);
        }

        RejectScopeOperator();
        return entityType is null ? ScopeConstraint.Any : new ScopeConstraint(ScopeKind.Is, entityType, []);
    }

    private ScopeConstraint ParseActionScope()
    {
        ExpectScopeVariable("action");
        if (IsWord("is"))
        {
            throw Error("'is' is not allowed on the action in the scope", Current);
        }

        if (Current.Kind == TokenKind.EqEq)
        {
            Advance();
            return new ScopeConstraint(ScopeKind.Eq, null, [ParseScopeEntity()]);
        }

        if (IsWord("in"))
        {
            Advance();
            return new ScopeConstraint(ScopeKind.In, null, ParseActionInTarget());
        }

        RejectScopeOperator();
        return ScopeConstraint.Any;
    }

    private void RejectScopeOperator()
    {
        switch (Current.Kind)
        {
            case TokenKind.Assign:
                throw Error("'=' is not an operator; use '==' for equality", Current);
            case TokenKind.NotEq or TokenKind.Lt or TokenKind.LtEq or TokenKind.Gt or TokenKind.GtEq:
                throw Error($"{Describe(Current)} is not allowed in the scope; use '==', 'in' or 'is'", Current);
        }
    }

    private EntityUid[] ParseActionInTarget()
    {
        if (Current.Kind == TokenKind.LParen)
        {
            Enter(Advance());
            var inner = ParseActionInTarget();
            Expect(TokenKind.RParen, "')'");
            Leave();
            return inner;
        }

        if (Current.Kind != TokenKind.LBracket)
        {
            return [ParseScopeEntity()];
        }

        Advance();
        var entities = new List<EntityUid>();
        while (Current.Kind != TokenKind.RBracket)
        {
            entities.Add(ParseScopeEntity());
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            Advance();
        }

        Expect(TokenKind.RBracket, "']' or ','");
        return entities.ToArray();
    }

    private EntityUid ParseScopeEntity()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.LParen:
            {
                Enter(Advance());
                var inner = ParseScopeEntity();
                Expect(TokenKind.RParen, "')'");
                Leave();
                return inner;
            }

            case TokenKind.Slot:
                throw Error($"templates are not supported ('?{token.Text}' is a template slot)", token);
            case TokenKind.Ident when !CedarLexer.IsReserved(token.Text):
            {
                var segments = new List<string> { ValidateTypeSegment(Advance()) };
                while (Current.Kind == TokenKind.ColonColon)
                {
                    Advance();
                    if (Current.Kind == TokenKind.String)
                    {
                        return new EntityUid(string.Join("::", segments), Unescape(Advance()));
                    }

                    segments.Add(ValidateTypeSegment(Expect(TokenKind.Ident, "an identifier or string after '::'")));
                }

                throw Error($"expected an entity uid like Type::\"id\", found the name '{string.Join("::", segments)}'", token);
            }

            default:
                throw Error($"expected an entity uid like Type::\"id\", found {Describe(token)}", token);
        }
    }

    private string ParseTypePath()
    {
        var first = Current;
        if (first.Kind != TokenKind.Ident)
        {
            throw Error($"expected an entity type after 'is', found {Describe(first)}", first);
        }

        var segments = new List<string> { ValidateTypeSegment(Advance()) };
        while (Current.Kind == TokenKind.ColonColon)
        {
            Advance();
            if (Current.Kind == TokenKind.String)
            {
                throw Error("expected an entity type after 'is', found an entity uid", Current);
            }

            segments.Add(ValidateTypeSegment(Expect(TokenKind.Ident, "an identifier after '::'")));
        }

        return segments.Count == 1 ? segments[0] : string.Join("::", segments);
    }

    private static string ValidateTypeSegment(Token token)
    {
        if (CedarLexer.IsReserved(token.Text))
        {
            throw Error($"'{token.Text}' is a reserved word and cannot be used in a name", token);
        }

        if (token.Text == "__cedar")
        {
            throw Error("the '__cedar' namespace is reserved", token);
        }

        return token.Text;
    }

    // ---------------------------------------------------------------- expressions

    private Expr ParseExpr()
    {
        // Every nested construct of a condition (parentheses, sets, records, if branches, method arguments) comes
        // through here, so this one guard bounds the recursion of the whole expression grammar.
        Enter(Current);
        var expr = ParseExprUnbounded();
        Leave();
        return expr;
    }

    private Expr ParseExprUnbounded()
    {
        if (IsWord("if"))
        {
            var token = Advance();
            var condition = ParseExpr();
            ExpectWord("then");
            var then = ParseExpr();
            ExpectWord("else");
            var otherwise = ParseExpr();
            return Expr.If(condition, then, otherwise, token.Line, token.Column);
        }

        return ParseOr();
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.OrOr)
        {
            var op = Advance();
            left = Expr.Binary(ExprOp.Or, left, ParseAnd(), op.Line, op.Column);
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseRelation();
        while (Current.Kind == TokenKind.AndAnd)
        {
            var op = Advance();
            left = Expr.Binary(ExprOp.And, left, ParseRelation(), op.Line, op.Column);
        }

        return left;
    }

    private ExprOp? RelationOperator()
    {
        return Current.Kind switch
        {
            TokenKind.EqEq => ExprOp.Eq,
            TokenKind.NotEq => ExprOp.NotEq,
            TokenKind.Lt => ExprOp.Less,
            TokenKind.LtEq => ExprOp.LessEq,
            TokenKind.Gt => ExprOp.Greater,
            TokenKind.GtEq => ExprOp.GreaterEq,
            TokenKind.Assign => throw Error("'=' is not an operator; use '==' for equality", Current),
            TokenKind.Ident when Current.Text == "in" => ExprOp.In,
            _ => null,
        };
    }

    private Expr ParseRelation()
    {
        var left = ParseAdd();
        if (IsWord("has"))
        {
            return ParseHas(left, Advance());
        }

        if (IsWord("like"))
        {
            var token = Advance();
            var patternToken = Expect(TokenKind.String, "a string literal pattern after 'like'");
            var elements = CedarEscapes.Pattern(patternToken.Text, out var error);
            if (error is not null)
            {
                throw Error(error, patternToken);
            }

            return Expr.Like(left, new LikePattern(elements), token.Line, token.Column);
        }

        if (IsWord("is"))
        {
            var token = Advance();
            var type = ParseTypePath();
            var isExpr = Expr.WithName(ExprOp.Is, left, type, token.Line, token.Column);
            if (!IsWord("in"))
            {
                return isExpr;
            }

            var inToken = Advance();
            var inExpr = Expr.Binary(ExprOp.In, left, ParseAdd(), inToken.Line, inToken.Column);
            return Expr.Binary(ExprOp.And, isExpr, inExpr, token.Line, token.Column);
        }

        var op = RelationOperator();
        if (op is null)
        {
            return left;
        }

        var opToken = Advance();
        var right = ParseAdd();
        if (RelationOperator() is not null)
        {
            throw Error("comparison operators cannot be chained; add parentheses", Current);
        }

        return Expr.Binary(op.Value, left, right, opToken.Line, opToken.Column);
    }

    private Expr ParseHas(Expr target, Token hasToken)
    {
        if (Current.Kind == TokenKind.String)
        {
            var name = Unescape(Advance());
            return Expr.WithName(ExprOp.Has, target, name, hasToken.Line, hasToken.Column);
        }

        if (Current.Kind != TokenKind.Ident)
        {
            throw Error($"expected an attribute name or string after 'has', found {Describe(Current)}", Current);
        }

        var first = Advance();
        ValidateAttributeName(first);
        if (Current.Kind == TokenKind.ColonColon)
        {
            throw Error("an attribute name cannot contain '::'", Current);
        }

        // `e has a.b.c` means `e has a && e.a has b && e.a.b has c`, evaluated left to right with short-circuit.
        Expr result = Expr.WithName(ExprOp.Has, target, first.Text, hasToken.Line, hasToken.Column);
        var access = Expr.WithName(ExprOp.GetAttr, target, first.Text, first.Line, first.Column);
        while (Current.Kind == TokenKind.Dot && Peek().Kind == TokenKind.Ident)
        {
            Advance();
            var segment = Advance();
            ValidateAttributeName(segment);
            var has = Expr.WithName(ExprOp.Has, access, segment.Text, hasToken.Line, hasToken.Column);
            result = Expr.Binary(ExprOp.And, result, has, hasToken.Line, hasToken.Column);
            access = Expr.WithName(ExprOp.GetAttr, access, segment.Text, segment.Line, segment.Column);
        }

        return result;
    }

    private static void ValidateAttributeName(Token token)
    {
        if (CedarLexer.IsReserved(token.Text))
        {
            throw Error($"'{token.Text}' is a reserved word; write it as a string (e.g. [\"{token.Text}\"])", token);
        }

        if (token.Text == "__cedar")
        {
            throw Error("'__cedar' is reserved", token);
        }
    }

    private Expr ParseAdd()
    {
        var left = ParseMult();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            var right = ParseMult();
            left = Expr.Binary(op.Kind == TokenKind.Plus ? ExprOp.Add : ExprOp.Sub, left, right, op.Line, op.Column);
        }

        return left;
    }

    private Expr ParseMult()
    {
        var left = ParseUnary();
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.Star:
                    var op = Advance();
                    left = Expr.Binary(ExprOp.Mul, left, ParseUnary(), op.Line, op.Column);
                    continue;
                case TokenKind.Slash:
                    throw Error("division is not supported in Cedar", Current);
                case TokenKind.Percent:
                    throw Error("the remainder operator is not supported in Cedar", Current);
                default:
                    return left;
            }
        }
    }

    private Expr ParseUnary()
    {
        var kind = Current.Kind;
        if (kind is not (TokenKind.Bang or TokenKind.Minus))
        {
            return ParseMember();
        }

        var first = Current;
        var count = 0;
        while (Current.Kind == kind)
        {
            Advance();
            count++;
        }

        if (count > 4)
        {
            throw Error($"too many '{Symbol(kind)}' operators in a row (at most 4); add parentheses", first);
        }

        if (Current.Kind is TokenKind.Bang or TokenKind.Minus)
        {
            throw Error("'!' and '-' cannot be mixed without parentheses", Current);
        }

        Expr operand;
        if (kind == TokenKind.Minus && Current.Kind == TokenKind.Int &&
            Peek().Kind is not (TokenKind.Dot or TokenKind.LBracket or TokenKind.LParen))
        {
            // A negative literal: lets -9223372036854775808 (which has no positive counterpart) be written.
            var literal = Advance();
            if (!ulong.TryParse(literal.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude) ||
                magnitude > (ulong)long.MaxValue + 1)
            {
                throw Error($"integer literal -{literal.Text} is out of the 64-bit range", literal);
            }

            var value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
            operand = Expr.Literal(CedarValue.FromLong(value), first.Line, first.Column);
            count--;
        }
        else
        {
            operand = ParseMember();
        }

        for (var i = 0; i < count; i++)
        {
            operand = Expr.Unary(kind == TokenKind.Bang ? ExprOp.Not : ExprOp.Neg, operand, first.Line, first.Column);
        }

        return operand;
    }

    private Expr ParseMember()
    {
        var expr = ParsePrimary();
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.Dot:
                {
                    Advance();
                    var name = Expect(TokenKind.Ident, "an attribute or method name after '.'");
                    ValidateAttributeName(name);
                    expr = Current.Kind == TokenKind.LParen
                        ? ParseMethodCall(expr, name)
                        : Expr.WithName(ExprOp.GetAttr, expr, name.Text, name.Line, name.Column);
                    break;
                }

                case TokenKind.LBracket:
                {
                    var open = Advance();
                    var key = Expect(TokenKind.String, "a string literal attribute name inside '[...]'");
                    Expect(TokenKind.RBracket, "']'");
                    expr = Expr.WithName(ExprOp.GetAttr, expr, Unescape(key), open.Line, open.Column);
                    break;
                }

                case TokenKind.LParen:
                    throw Error("an expression cannot be called like a function", Current);
                default:
                    return expr;
            }
        }
    }

    private Expr ParseMethodCall(Expr receiver, Token name)
    {
        var args = ParseArguments();
        if (!BuiltinMethods.Contains(name.Text))
        {
            throw ExtensionMethods.Contains(name.Text)
                ? Error($"extension method '{name.Text}' is not supported (extension types are out of scope)", name)
                : Error($"unknown method '{name.Text}'", name);
        }

        var expected = name.Text == "isEmpty" ? 0 : 1;
        if (args.Count != expected)
        {
            throw Error($"method '{name.Text}' takes {expected} argument{(expected == 1 ? string.Empty : "s")}, got {args.Count}", name);
        }

        return name.Text switch
        {
            "contains" => Expr.Binary(ExprOp.Contains, receiver, args[0], name.Line, name.Column),
            "containsAll" => Expr.Binary(ExprOp.ContainsAll, receiver, args[0], name.Line, name.Column),
            "containsAny" => Expr.Binary(ExprOp.ContainsAny, receiver, args[0], name.Line, name.Column),
            "getTag" => Expr.Binary(ExprOp.GetTag, receiver, args[0], name.Line, name.Column),
            "hasTag" => Expr.Binary(ExprOp.HasTag, receiver, args[0], name.Line, name.Column),
            _ => Expr.Unary(ExprOp.IsEmpty, receiver, name.Line, name.Column),
        };
    }

    private List<Expr> ParseArguments()
    {
        Expect(TokenKind.LParen, "'('");
        var args = new List<Expr>();
        while (Current.Kind != TokenKind.RParen)
        {
            args.Add(ParseExpr());
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            Advance();
        }

        Expect(TokenKind.RParen, "')' or ','");
        return args;
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Int:
            {
                Advance();
                if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    throw Error($"integer literal {token.Text} is out of the 64-bit range", token);
                }

                return Expr.Literal(CedarValue.FromLong(value), token.Line, token.Column);
            }

            case TokenKind.String:
                Advance();
                return Expr.Literal(CedarValue.FromString(Unescape(token)), token.Line, token.Column);
            case TokenKind.Ident:
                return ParseNamePrimary();
            case TokenKind.Slot:
                throw Error($"templates are not supported ('?{token.Text}' is a template slot)", token);
            case TokenKind.LParen:
            {
                Advance();
                var inner = ParseExpr();
                Expect(TokenKind.RParen, "')'");
                return inner;
            }

            case TokenKind.LBracket:
                return ParseSetLiteral();
            case TokenKind.LBrace:
                return ParseRecordLiteral();
            default:
                throw Error($"expected an expression, found {Describe(token)}", token);
        }
    }

    private Expr ParseNamePrimary()
    {
        var token = Advance();
        switch (token.Text)
        {
            case "true":
                return Expr.Literal(CedarValue.True, token.Line, token.Column);
            case "false":
                return Expr.Literal(CedarValue.False, token.Line, token.Column);
            case "if":
                throw Error("an 'if' expression must be wrapped in parentheses here", token);
        }

        if (Current.Kind != TokenKind.ColonColon)
        {
            if (Variables.Contains(token.Text))
            {
                if (Current.Kind == TokenKind.LParen)
                {
                    throw Error($"'{token.Text}' is a variable and cannot be called", token);
                }

                var variable = token.Text switch { "principal" => 0, "action" => 1, "resource" => 2, _ => 3 };
                return Expr.Var(variable, token.Line, token.Column);
            }

            if (CedarLexer.IsReserved(token.Text))
            {
                throw Error($"unexpected reserved word '{token.Text}'", token);
            }

            throw NameError(token.Text, token);
        }

        var segments = new List<string> { ValidateTypeSegment(token) };
        while (Current.Kind == TokenKind.ColonColon)
        {
            Advance();
            if (Current.Kind == TokenKind.String)
            {
                var id = Unescape(Advance());
                var uid = new EntityUid(string.Join("::", segments), id);
                return Expr.Literal(CedarValue.FromEntity(uid), token.Line, token.Column);
            }

            if (Current.Kind == TokenKind.LBrace)
            {
                throw Error("entity literals written as records are not supported; use Type::\"id\"", Current);
            }

            segments.Add(ValidateTypeSegment(Expect(TokenKind.Ident, "an identifier or string after '::'")));
        }

        throw NameError(string.Join("::", segments), token);
    }

    private CedarParseException NameError(string name, Token token)
    {
        if (Current.Kind == TokenKind.LParen)
        {
            if (ExtensionFunctions.Contains(name))
            {
                return Error($"extension function '{name}' is not supported (extension types are out of scope)", token);
            }

            if (BuiltinMethods.Contains(name) || ExtensionMethods.Contains(name))
            {
                return Error($"'{name}' is a method; call it as value.{name}(...)", token);
            }

            return Error($"unknown function '{name}'", token);
        }

        return Error($"unknown name '{name}'; variables are principal, action, resource and context, and entity uids are written Type::\"id\"", token);
    }

    private Expr ParseSetLiteral()
    {
        var open = Advance();
        var items = new List<Expr>();
        while (Current.Kind != TokenKind.RBracket)
        {
            items.Add(ParseExpr());
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            Advance();
        }

        Expect(TokenKind.RBracket, "']' or ','");
        return Expr.Set(items.ToArray(), open.Line, open.Column);
    }

    private Expr ParseRecordLiteral()
    {
        var open = Advance();
        var keys = new List<string>();
        var values = new List<Expr>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Current.Kind != TokenKind.RBrace)
        {
            var keyToken = Current;
            string key;
            if (keyToken.Kind == TokenKind.String)
            {
                key = Unescape(Advance());
            }
            else if (keyToken.Kind == TokenKind.Ident)
            {
                Advance();
                if (CedarLexer.IsReserved(keyToken.Text))
                {
                    throw Error($"'{keyToken.Text}' is a reserved word; quote it to use it as a record key", keyToken);
                }

                key = keyToken.Text;
            }
            else
            {
                throw Error($"expected a record key (identifier or string), found {Describe(keyToken)}", keyToken);
            }

            Expect(TokenKind.Colon, "':' after the record key");
            if (!seen.Add(key))
            {
                throw Error($"duplicate record key \"{key}\"", keyToken);
            }

            keys.Add(key);
            values.Add(ParseExpr());
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            Advance();
        }

        Expect(TokenKind.RBrace, "'}' or ','");
        return Expr.Record(keys.ToArray(), values.ToArray(), open.Line, open.Column);
    }
}
