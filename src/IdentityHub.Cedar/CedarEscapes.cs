using System.Globalization;
using System.Text;

namespace IdentityHub.Cedar;

/// <summary>
/// Cedar string escapes, which follow Rust's string literal rules: <c>\n \r \t \\ \0 \' \"</c>, <c>\xHH</c> (ASCII only),
/// <c>\u{H..H}</c> (1–6 hex digits, a Unicode scalar value); a raw carriage return is rejected as in Rust. In <c>like</c>
/// patterns, <c>\*</c> is additionally a literal star while a bare <c>*</c> is the wildcard.
/// </summary>
internal static class CedarEscapes
{
    /// <summary>Unescapes a string literal body; the returned message is non-null when an escape is invalid.</summary>
    public static string Unescape(string raw, out string? error)
    {
        error = null;
        if (raw.IndexOf('\\') < 0 && raw.IndexOf('\r') < 0)
        {
            return raw;
        }

        var elements = Decode(raw, pattern: false, ref error);
        if (error is not null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(elements.Count);
        foreach (var element in elements)
        {
            builder.Append((char)element);
        }

        return builder.ToString();
    }

    /// <summary>Decodes a <c>like</c> pattern into code units, with -1 marking a wildcard.</summary>
    public static int[] Pattern(string raw, out string? error)
    {
        error = null;
        var elements = Decode(raw, pattern: true, ref error);
        return error is null ? elements.ToArray() : [];
    }

    private static List<int> Decode(string raw, bool pattern, ref string? error)
    {
        var result = new List<int>(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c == '\r')
            {
                error = "bare carriage return in string literal (write \\r)";
                return result;
            }

            if (c == '*' && pattern)
            {
                result.Add(-1);
                i++;
                continue;
            }

            if (c != '\\')
            {
                result.Add(c);
                i++;
                continue;
            }

            if (!DecodeEscape(raw, ref i, pattern, result, ref error))
            {
                return result;
            }
        }

        return result;
    }

    /// <summary>Decodes the escape whose backslash is at <paramref name="i"/> and moves past it; false (with the error) when invalid.</summary>
    private static bool DecodeEscape(string raw, ref int i, bool pattern, List<int> result, ref string? error)
    {
        if (i + 1 >= raw.Length)
        {
            error = "lone backslash at the end of a string literal";
            return false;
        }

        var escape = raw[i + 1];
        i += 2;
        switch (escape)
        {
            case 'n': result.Add('\n'); return true;
            case 'r': result.Add('\r'); return true;
            case 't': result.Add('\t'); return true;
            case '\\': result.Add('\\'); return true;
            case '0': result.Add('\0'); return true;
            case '\'': result.Add('\''); return true;
            case '"': result.Add('"'); return true;
            case '*' when pattern: result.Add('*'); return true;
            case 'x':
                return DecodeAscii(raw, ref i, result, ref error);
            case 'u':
                return DecodeUnicode(raw, ref i, result, ref error);
            default:
                error = $"invalid escape sequence '\\{escape}'";
                return false;
        }
    }

    /// <summary>The two hex digits of <c>\xHH</c> at <paramref name="i"/>, at most <c>7F</c>.</summary>
    private static bool DecodeAscii(string raw, ref int i, List<int> result, ref string? error)
    {
        if (i + 2 > raw.Length || !IsHex(raw[i]) || !IsHex(raw[i + 1]))
        {
            error = "invalid \\x escape: expected two hex digits";
            return false;
        }

        var ascii = int.Parse(raw.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (ascii > 0x7F)
        {
            error = "invalid \\x escape: must be at most \\x7F (use \\u{...} for other characters)";
            return false;
        }

        result.Add(ascii);
        i += 2;
        return true;
    }

    /// <summary>The <c>{H..H}</c> of <c>\u{H..H}</c> at <paramref name="i"/>: a Unicode scalar value, added as one or two code units.</summary>
    private static bool DecodeUnicode(string raw, ref int i, List<int> result, ref string? error)
    {
        if (i >= raw.Length || raw[i] != '{')
        {
            error = "invalid \\u escape: expected \\u{XXXX}";
            return false;
        }

        i++;
        if (!ReadBracedHex(raw, ref i, out var value, out var digits, ref error))
        {
            return false;
        }

        if (digits == 0)
        {
            error = "empty \\u{} escape";
            return false;
        }

        if (value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
        {
            error = $"\\u{{{value:x}}} is not a Unicode scalar value";
            return false;
        }

        if (value >= 0x10000)
        {
            var text = char.ConvertFromUtf32(value);
            result.Add(text[0]);
            result.Add(text[1]);
        }
        else
        {
            result.Add(value);
        }

        return true;
    }

    /// <summary>Reads hex digits (with <c>_</c> separators after the first) up to and past the closing brace.</summary>
    private static bool ReadBracedHex(string raw, ref int i, out int value, out int digits, ref string? error)
    {
        value = 0;
        digits = 0;
        var first = true;
        while (true)
        {
            if (i >= raw.Length)
            {
                error = "unterminated \\u{...} escape";
                return false;
            }

            var c = raw[i++];
            if (c == '}')
            {
                return true;
            }

            if (c == '_' && !first)
            {
                continue;
            }

            if (!IsHex(c))
            {
                error = $"invalid character '{c}' in \\u{{...}} escape";
                return false;
            }

            first = false;
            if (++digits > 6)
            {
                error = "\\u{...} escape has more than 6 hex digits";
                return false;
            }

            value = (value * 16) + HexValue(c);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
