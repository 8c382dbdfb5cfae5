namespace IdentityHub.Passwords;

/// <summary>
/// Wraps the zxcvbn-core estimator used by the <c>too_weak</c> rule. One estimator instance is built
/// lazily (loading its dictionaries takes ~100 ms) and shared: after construction it only reads its
/// matchers, and it is exercised concurrently in the tests.
/// </summary>
internal static class PasswordStrengthEstimator
{
    /// <summary>
    /// Only this many leading code points are scored. zxcvbn-core 1.1.17 re-runs its matchers for
    /// every position, so its cost grows faster than linearly (measured: ~2 s for 1,000 characters,
    /// minutes for 4,096), which would let one request pin a core. Scoring a prefix can only lower the
    /// score, and any unguessable password reaches score 4 long before 64 characters.
    /// </summary>
    public const int MaxScoredLength = 64;

    private static readonly Lazy<Zxcvbn.Zxcvbn> Estimator =
        new(static () => new Zxcvbn.Zxcvbn(Zxcvbn.Translation.English), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The zxcvbn score 0–4 of the NFKC <paramref name="normalized"/> password, with the user's pieces as extra dictionary words.</summary>
    public static int Score(string normalized, IReadOnlyList<string> userInputs)
    {
        var scored = Prefix(normalized, MaxScoredLength);
        if (scored.Length == 0)
        {
            return 0;
        }

        return Estimator.Value.EvaluatePassword(scored, userInputs).Score;
    }

    private static string Prefix(string value, int maxRunes)
    {
        var count = 0;
        var index = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (count == maxRunes)
            {
                return value[..index];
            }

            count++;
            index += rune.Utf16SequenceLength;
        }

        return value;
    }
}
