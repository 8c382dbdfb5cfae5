namespace IdentityHub.Cedar;

/// <summary>
/// A compiled <c>like</c> pattern: literal characters and <c>*</c> wildcards (a written <c>\*</c> is a literal star,
/// already resolved by the parser). Compiled once per policy so evaluation only runs the matcher.
/// </summary>
internal sealed class LikePattern
{
    /// <summary>Pattern elements; -1 is the wildcard, anything else a UTF-16 code unit.</summary>
    private readonly int[] _elements;

    public LikePattern(int[] elements) => _elements = elements;

    /// <summary>
    /// Greedy matching that remembers the last wildcard and backtracks to it, which is linear for typical patterns and
    /// never worse than O(text × pattern). Matching code units is exact because the pattern only holds whole characters.
    /// </summary>
    public bool IsMatch(string text)
    {
        var pattern = _elements;
        var t = 0;
        var p = 0;
        var star = -1;
        var mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != -1 && pattern[p] == text[t])
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == -1)
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == -1)
        {
            p++;
        }

        return p == pattern.Length;
    }
}
