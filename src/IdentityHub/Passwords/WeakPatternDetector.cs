namespace IdentityHub.Passwords;

/// <summary>
/// The <c>weak_pattern</c> rule. Works on the NFKC form lower-cased with the invariant culture, and
/// matches exactly these patterns (anything else passes):
/// <list type="number">
/// <item><description>
/// Keyboard runs: 4 or more adjacent keys of one US-QWERTY row, forwards or backwards, anywhere
/// (<c>qwer</c>, <c>asdf</c>, <c>zxcv</c>, <c>poiu</c>, <c>7890</c>, <c>!@#$</c>). The one 4-key run
/// that is common inside English words, <c>erty</c> (liberty, property), only counts as part of a
/// 5-key run (<c>werty</c>, <c>ertyu</c>).
/// </description></item>
/// <item><description>
/// Sequences: 4 or more consecutive ASCII letters or ASCII digits that step by +1 or −1
/// (<c>abcd</c>, <c>wxyz</c>, <c>dcba</c>, <c>1234</c>, <c>9876</c>); no wrap-around.
/// </description></item>
/// <item><description>
/// Dates, judged on maximal runs of ASCII digits: a run of exactly 4 digits that is a year 1900–2099
/// (<c>1990</c>); a run of exactly 8 digits that reads as DDMMYYYY, MMDDYYYY or YYYYMMDD with such a
/// year (<c>31121990</c>, <c>19901231</c>); three runs joined by the same separator <c>- / . _</c> or space
/// reading as D-M-Y or M-D-Y with a 2- or 4-digit year (<c>12/31/1990</c>, <c>31.12.90</c>) or as Y-M-D with a
/// 4-digit year (<c>2024-01-15</c>). Days are 1–31 and months 1–12. Six-digit runs are not treated
/// as dates: about one random 6-digit number in nine would parse as one.
/// </description></item>
/// <item><description>
/// A repeated unit: the whole password is one unit written two or more times
/// (<c>abcabcabcabc</c>, <c>Ab1!Ab1!Ab1!</c>), compared case-insensitively.
/// </description></item>
/// </list>
/// </summary>
internal static class WeakPatternDetector
{
    private const int MinRunLength = 4;

    private static readonly string[] KeyboardRows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "!@#$%^&*()"];

    private static readonly string[] KeyboardRuns = BuildKeyboardRuns();

    /// <summary>Whether <paramref name="normalized"/> (already NFKC) contains any weak pattern.</summary>
    public static bool IsWeak(string normalized)
    {
        if (normalized.Length == 0)
        {
            return false;
        }

        var lower = normalized.ToLowerInvariant();
        return HasKeyboardRun(lower) || HasSequence(lower) || HasDate(lower) || IsRepeatedUnit(lower);
    }

    internal static bool HasKeyboardRun(string lower)
    {
        foreach (var run in KeyboardRuns)
        {
            if (lower.Contains(run, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool HasSequence(string lower)
    {
        var length = 1;
        var step = 0;
        for (var i = 1; i < lower.Length; i++)
        {
            var previous = lower[i - 1];
            var current = lower[i];
            var delta = current - previous;
            var sameClass = (IsAsciiLetter(previous) && IsAsciiLetter(current)) || (char.IsAsciiDigit(previous) && char.IsAsciiDigit(current));
            if (sameClass && (delta == 1 || delta == -1))
            {
                length = delta == step ? length + 1 : 2;
                step = delta;
                if (length >= MinRunLength)
                {
                    return true;
                }
            }
            else
            {
                length = 1;
                step = 0;
            }
        }

        return false;
    }

    internal static bool HasDate(string lower)
    {
        var runs = DigitRuns(lower);
        foreach (var (start, length) in runs)
        {
            var digits = lower.AsSpan(start, length);
            if (length == 4 && IsYear(Number(digits)))
            {
                return true;
            }

            if (length == 8 && IsCompactDate(digits))
            {
                return true;
            }
        }

        for (var i = 0; i + 2 < runs.Count; i++)
        {
            var (s1, l1) = runs[i];
            var (s2, l2) = runs[i + 1];
            var (s3, l3) = runs[i + 2];
            if (s2 != s1 + l1 + 1 || s3 != s2 + l2 + 1)
            {
                continue;
            }

            if (l1 > 4 || l2 > 2 || l3 > 4)
            {
                continue;
            }

            var separator = lower[s1 + l1];
            if (!IsDateSeparator(separator) || lower[s2 + l2] != separator)
            {
                continue;
            }

            var a = Number(lower.AsSpan(s1, l1));
            var b = Number(lower.AsSpan(s2, l2));
            var c = Number(lower.AsSpan(s3, l3));
            var dayMonthYear = l1 <= 2 && l2 <= 2 && (l3 == 2 || (l3 == 4 && IsYear(c)))
                && ((IsDay(a) && IsMonth(b)) || (IsMonth(a) && IsDay(b)));
            var yearMonthDay = l1 == 4 && IsYear(a) && l2 <= 2 && l3 <= 2 && IsMonth(b) && IsDay(c);
            if (dayMonthYear || yearMonthDay)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsRepeatedUnit(string lower)
    {
        var runes = new List<int>(lower.Length);
        foreach (var rune in lower.EnumerateRunes())
        {
            runes.Add(rune.Value);
        }

        var n = runes.Count;
        for (var unit = 1; unit <= n / 2; unit++)
        {
            if (n % unit != 0)
            {
                continue;
            }

            var repeats = true;
            for (var i = unit; i < n && repeats; i++)
            {
                repeats = runes[i] == runes[i - unit];
            }

            if (repeats)
            {
                return true;
            }
        }

        return false;
    }

    private static string[] BuildKeyboardRuns()
    {
        var runs = new List<string>();
        foreach (var row in KeyboardRows)
        {
            var reversed = new string(row.Reverse().ToArray());
            foreach (var line in new[] { row, reversed })
            {
                for (var i = 0; i + MinRunLength <= line.Length; i++)
                {
                    var run = line.Substring(i, MinRunLength);
                    if (run == "erty")
                    {
                        // Common inside words (liberty, property): only its 5-key extensions count.
                        if (i > 0)
                        {
                            runs.Add(line.Substring(i - 1, MinRunLength + 1));
                        }

                        if (i + MinRunLength < line.Length)
                        {
                            runs.Add(line.Substring(i, MinRunLength + 1));
                        }

                        continue;
                    }

                    runs.Add(run);
                }
            }
        }

        return runs.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static List<(int Start, int Length)> DigitRuns(string value)
    {
        var runs = new List<(int, int)>();
        for (var i = 0; i < value.Length;)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            runs.Add((start, i - start));
        }

        return runs;
    }

    private static bool IsCompactDate(ReadOnlySpan<char> digits)
    {
        var first2 = Number(digits[..2]);
        var second2 = Number(digits[2..4]);
        var last4 = Number(digits[4..]);
        var first4 = Number(digits[..4]);
        var month = Number(digits[4..6]);
        var day = Number(digits[6..]);
        return (IsYear(last4) && ((IsDay(first2) && IsMonth(second2)) || (IsMonth(first2) && IsDay(second2))))
            || (IsYear(first4) && IsMonth(month) && IsDay(day));
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static bool IsYear(int value) => value is >= 1900 and <= 2099;

    private static bool IsMonth(int value) => value is >= 1 and <= 12;

    private static bool IsDay(int value) => value is >= 1 and <= 31;

    private static bool IsDateSeparator(char c) => c is '-' or '/' or '.' or '_' or ' ';

    private static bool IsAsciiLetter(char c) => c is >= 'a' and <= 'z';
}
