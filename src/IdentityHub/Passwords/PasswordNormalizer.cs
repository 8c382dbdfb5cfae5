using System.Text;

namespace IdentityHub.Passwords;

/// <summary>
/// Canonicalises passwords before they are checked, counted or hashed, so that visually and
/// semantically equivalent inputs (full-width <c>ＡＢＣ</c> and <c>ABC</c>, the ligature <c>ﬃ</c>
/// and <c>ffi</c>, precomposed and decomposed accents) are treated as the same password,
/// as NIST SP 800-63B §5.1.1.2 recommends. Hash the output of <see cref="Normalize"/>, not the raw
/// input, or a user typing on another keyboard/OS may be locked out.
/// </summary>
public static class PasswordNormalizer
{
    /// <summary>
    /// The longest password input accepted at any entry point, in UTF-16 code units of the raw input
    /// (<see cref="string.Length"/>, before NFKC). Longer input is refused before it is normalised or hashed: NFKC and
    /// PBKDF2 cost grows with the length, so an unbounded password is a cheap way to make the server work hard, and
    /// no person types a kilobyte of password. UTF-16 units rather than code points, so the check itself is O(1).
    /// </summary>
    public const int MaxInputLength = 1024;

    /// <summary>The reason code with which entry points refuse a password longer than <see cref="MaxInputLength"/>.</summary>
    public const string TooLong = "too_long";

    /// <summary>
    /// True when <paramref name="password"/> is longer than <see cref="MaxInputLength"/> UTF-16 code units. Call it
    /// before anything else looks at a password: it never normalises, and a null password is not too long.
    /// </summary>
    public static bool IsTooLong(string? password) => password is { Length: > MaxInputLength };

    /// <summary>
    /// Returns the NFKC form of <paramref name="password"/>. Never throws for odd input: unpaired UTF-16 surrogates
    /// and Unicode noncharacters (which <see cref="string.Normalize(NormalizationForm)"/> rejects with an exception)
    /// are first replaced with U+FFFD, so malformed client input yields a deterministic string instead of a server
    /// error. Such a password is never accepted or verified (see <see cref="ContainsInvalidCharacters"/>); the
    /// replacement only lets the other rules still be evaluated and reported.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static string Normalize(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var clean = ReplaceInvalidCodePoints(password);
        try
        {
            return clean.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Something else ICU refuses: the text as it is; ContainsInvalidCharacters reports it.
            return clean;
        }
    }

    /// <summary>
    /// True when <paramref name="password"/> holds a character no password may hold: a C0 control (U+0000–U+001F) or
    /// DEL (U+007F), an unpaired surrogate, a Unicode noncharacter (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF), or anything
    /// else NFKC normalisation refuses. Control characters matter beyond hygiene: PBKDF2 pads its HMAC key with zero
    /// bytes, so <c>secret</c> and <c>secret\0</c> would otherwise be the same password. New passwords holding one
    /// are refused (<see cref="PasswordRuleCodes.InvalidCharacters"/>) and a candidate holding one never verifies.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static bool ContainsInvalidCharacters(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        foreach (var c in password)
        {
            if (c < '\u0020' || c == '\u007F')
            {
                return true;
            }
        }
        if (FindInvalidCodePoint(password) >= 0)
        {
            return true;
        }
        try
        {
            _ = password.Normalize(NormalizationForm.FormKC);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// Counts the characters of <paramref name="password"/> the way length rules see them: the number of
    /// Unicode code points (scalar values, <see cref="Rune"/>s) of its NFKC form. NIST SP 800-63B counts
    /// "each Unicode code point" as one character, so an emoji such as 😀 (two UTF-16 units) counts as
    /// one, <c>ﬃ</c> counts as three (NFKC expands it) and a combining sequence or a ZWJ emoji
    /// family counts each of its code points — grapheme clusters are not used because their
    /// boundaries change between Unicode versions, which would make the rule unstable.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static int CountCharacters(string password) => CountRunes(Normalize(password));

    /// <summary>Counts the code points of an already-normalised, surrogate-clean string.</summary>
    internal static int CountRunes(string normalized)
    {
        var count = 0;
        foreach (var _ in normalized.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, ...).</summary>
    private static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    private static string ReplaceInvalidCodePoints(string value)
    {
        var firstInvalid = FindInvalidCodePoint(value);
        if (firstInvalid < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        builder.Append(value, 0, firstInvalid);
        for (var i = firstInvalid; i < value.Length; i++)
        {
            var length = ValidLengthAt(value, i);
            if (length == 0)
            {
                builder.Append('\uFFFD');
                continue;
            }
            builder.Append(value, i, length);
            i += length - 1;
        }

        return builder.ToString();
    }

    /// <summary>The index of the first unpaired surrogate or noncharacter, or -1.</summary>
    private static int FindInvalidCodePoint(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var length = ValidLengthAt(value, i);
            if (length == 0)
            {
                return i;
            }
            i += length - 1;
        }

        return -1;
    }

    /// <summary>How many UTF-16 units the valid code point at <paramref name="i"/> takes (1 or 2), or 0 if it is invalid.</summary>
    private static int ValidLengthAt(string value, int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
        {
            return IsNoncharacter(char.ConvertToUtf32(c, value[i + 1])) ? 0 : 2;
        }
        return char.IsSurrogate(c) || IsNoncharacter(c) ? 0 : 1;
    }
}
