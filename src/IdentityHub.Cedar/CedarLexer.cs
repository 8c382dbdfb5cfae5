namespace IdentityHub.Cedar;

/// <summary>Token kinds of the Cedar policy language.</summary>
internal enum TokenKind
{
    Ident, Int, String, Slot,
    At, Dot, Comma, Semicolon, Colon, ColonColon,
    LParen, RParen, LBrace, RBrace, LBracket, RBracket,
    EqEq, NotEq, Lt, LtEq, GtEq, Gt, OrOr, AndAnd,
    Plus, Minus, Star, Slash, Percent, Bang, Assign,
    Eof,
}

/// <summary>One token with its 1-based source position. <see cref="Text"/> holds the word, digits, raw string body or slot name.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, int Offset);

/// <summary>
/// Splits Cedar policy text into tokens. Keywords are lexed as identifiers and recognised by the parser, because Cedar
/// lets most keywords double as names (e.g. an entity type called <c>permit</c>).
/// </summary>
internal sealed class CedarLexer
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "if", "then", "else", "in", "is", "has", "like",
    };

    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private CedarLexer(string text) => _text = text;

    /// <summary>Words that can never name a variable, attribute, entity type or namespace.</summary>
    public static bool IsReserved(string word) => Reserved.Contains(word);

    /// <summary>Whether JSON-supplied text is a normalised entity type name such as <c>App::User</c>.</summary>
    public static bool IsValidEntityTypeName(string name)
    {
        foreach (var segment in name.Split("::"))
        {
            if (!IsIdentifier(segment) || IsReserved(segment) || segment == "__cedar")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Tokenises the whole text, ending with an <see cref="TokenKind.Eof"/> token.</summary>
    /// <exception cref="CedarParseException">An unexpected character or an unterminated string.</exception>
    public static List<Token> Tokenize(string text)
    {
        var lexer = new CedarLexer(text);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.Eof)
            {
                return tokens;
            }
        }
    }

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !IsIdentStart(text[0]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (!IsIdentPart(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIdentStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsIdentPart(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    private Token Next()
    {
        SkipTrivia();
        var line = _line;
        var column = _pos - _lineStart + 1;
        var offset = _pos;
        if (_pos >= _text.Length)
        {
            return new Token(TokenKind.Eof, string.Empty, line, column, offset);
        }

        var c = _text[_pos];
        if (IsIdentStart(c))
        {
            var start = _pos;
            while (_pos < _text.Length && IsIdentPart(_text[_pos]))
            {
                _pos++;
            }

            return new Token(TokenKind.Ident, _text[start.._pos], line, column, offset);
        }

        if (char.IsAsciiDigit(c))
        {
            var start = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }

            return new Token(TokenKind.Int, _text[start.._pos], line, column, offset);
        }

        if (c == '"')
        {
            return LexString(line, column, offset);
        }

        if (c == '?' && _pos + 1 < _text.Length && IsIdentStart(_text[_pos + 1]))
        {
            var start = ++_pos;
            while (_pos < _text.Length && IsIdentPart(_text[_pos]))
            {
                _pos++;
            }

            return new Token(TokenKind.Slot, _text[start.._pos], line, column, offset);
        }

        return LexPunctuation(c, line, column, offset);
    }

    /// <summary>An operator or punctuation token of one or two characters starting with <paramref name="c"/>.</summary>
    private Token LexPunctuation(char c, int line, int column, int offset)
    {
        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        TokenKind kind;
        var length = 1;
        switch (c)
        {
            case '@': kind = TokenKind.At; break;
            case '.': kind = TokenKind.Dot; break;
            case ',': kind = TokenKind.Comma; break;
            case ';': kind = TokenKind.Semicolon; break;
            case ':':
                (kind, length) = next == ':' ? (TokenKind.ColonColon, 2) : (TokenKind.Colon, 1);
                break;
            case '(': kind = TokenKind.LParen; break;
            case ')': kind = TokenKind.RParen; break;
            case '{': kind = TokenKind.LBrace; break;
            case '}': kind = TokenKind.RBrace; break;
            case '[': kind = TokenKind.LBracket; break;
            case ']': kind = TokenKind.RBracket; break;
            case '=':
                (kind, length) = next == '=' ? (TokenKind.EqEq, 2) : (TokenKind.Assign, 1);
                break;
            case '!':
                (kind, length) = next == '=' ? (TokenKind.NotEq, 2) : (TokenKind.Bang, 1);
                break;
            case '<':
                (kind, length) = next == '=' ? (TokenKind.LtEq, 2) : (TokenKind.Lt, 1);
                break;
            case '>':
                (kind, length) = next == '=' ? (TokenKind.GtEq, 2) : (TokenKind.Gt, 1);
                break;
            case '|' when next == '|': kind = TokenKind.OrOr; length = 2; break;
            case '&' when next == '&': kind = TokenKind.AndAnd; length = 2; break;
            case '+': kind = TokenKind.Plus; break;
            case '-': kind = TokenKind.Minus; break;
            case '*': kind = TokenKind.Star; break;
            case '/': kind = TokenKind.Slash; break;
            case '%': kind = TokenKind.Percent; break;
            default:
                var hint = c switch
                {
                    '|' => " (did you mean '||'?)",
                    '&' => " (did you mean '&&'?)",
                    '\'' => " (strings use double quotes)",
                    _ => string.Empty,
                };
                throw new CedarParseException($"unexpected character '{c}'{hint}", line, column);
        }

        _pos += length;
        return new Token(kind, string.Empty, line, column, offset);
    }

    private Token LexString(int line, int column, int offset)
    {
        var start = ++_pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                var body = _text[start.._pos];
                _pos++;
                return new Token(TokenKind.String, body, line, column, offset);
            }

            if (c == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
                c = _text[_pos];
                if (c is '\n' or '\r')
                {
                    // Cedar's string token is "(\\.|[^"\\])*" and '.' excludes newlines: no line continuations.
                    throw new CedarParseException("a backslash cannot be followed by a line break in a string literal", _line, _pos - _lineStart);
                }
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }

            _pos++;
        }

        throw new CedarParseException("unterminated string literal", line, column);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
