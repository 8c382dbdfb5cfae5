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
    /// Returns the NFKC form of <paramref name="password"/>. Unpaired UTF-16 surrogates (which
    /// <see cref="string.Normalize(NormalizationForm)"/> rejects with an exception) are first replaced with
    /// U+FFFD, so malformed client input yields a deterministic string instead of a server error —
    /// the same substitution a UTF-8 encoder makes before hashing.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static string Normalize(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return ReplaceInvalidSurrogates(password).Normalize(NormalizationForm.FormKC);
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

    private static string ReplaceInvalidSurrogates(string value)
    {
        var firstInvalid = FindInvalidSurrogate(value, 0);
        if (firstInvalid < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        builder.Append(value, 0, firstInvalid);
        for (var i = firstInvalid; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static int FindInvalidSurrogate(string value, int start)
    {
        for (var i = start; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
