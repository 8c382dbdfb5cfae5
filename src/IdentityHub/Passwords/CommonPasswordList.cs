using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace IdentityHub.Passwords;

/// <summary>
/// The block list behind the <c>common_password</c> rule. <see cref="Default"/> is the 30,000 most
/// common passwords from the zxcvbn project (MIT; see <c>Data/README.md</c>), embedded in this
/// assembly and loaded once, lazily and thread-safely, on first use. Lookups are case-insensitive and
/// allocation-free, so one instance serves all requests.
/// </summary>
public sealed class CommonPasswordList
{
    /// <summary>
    /// Manifest resource name of the embedded list (RootNamespace <c>IdentityHub</c> + folder
    /// <c>Passwords/Data</c>). If a host project embeds it under another name, any resource whose name
    /// ends with <c>common-passwords.txt</c> is used instead.
    /// </summary>
    public const string ResourceName = "IdentityHub.Passwords.Data.common-passwords.txt";

    /// <summary>
    /// The shortest remainder, in code points, that is still looked up after stripping leading and
    /// trailing digits and special characters (see <see cref="IsCommon"/>). Shorter remainders such as
    /// <c>abc</c> in <c>!abc123</c> would turn the list into a very broad substring filter.
    /// </summary>
    public const int MinTrimmedLength = 4;

    private const string ResourceSuffix = "common-passwords.txt";

    private static readonly Lazy<CommonPasswordList> DefaultList =
        new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenSet<string> entries;

    /// <summary>
    /// Creates a list from arbitrary entries, e.g. a larger organisation-specific list or a small
    /// list in tests. Entries are NFKC-normalised and trimmed; blank entries are ignored.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="passwords"/> is null.</exception>
    public CommonPasswordList(IEnumerable<string> passwords)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        entries = passwords
            .Where(static p => !string.IsNullOrWhiteSpace(p))
            .Select(static p => PasswordNormalizer.Normalize(p.Trim()))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The embedded list, loaded on first access (≈ 30,000 entries, ~2 MB in memory).</summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly (a build/packaging error).</exception>
    public static CommonPasswordList Default => DefaultList.Value;

    /// <summary>Number of distinct entries (case-insensitively).</summary>
    public int Count => entries.Count;

    /// <summary>
    /// Exact, case-insensitive membership of the NFKC form of <paramref name="password"/>:
    /// <c>PASSWORD</c> and <c>Password</c> match <c>password</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public bool Contains(string password) => entries.Contains(PasswordNormalizer.Normalize(password));

    /// <summary>
    /// The rule the validator applies: true when the password is on the list (<see cref="Contains"/>),
    /// or when what remains after stripping its leading and trailing digits, punctuation, symbols and
    /// spaces is at least <see cref="MinTrimmedLength"/> code points long and on the list — so
    /// <c>Password1</c>, <c>!Dragon2024!</c> and <c>123monkey</c> are caught, while decorations inside
    /// the password (<c>Correct-Horse-Battery-9</c>) are left alone.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public bool IsCommon(string password) => IsCommonNormalized(PasswordNormalizer.Normalize(password));

    internal bool IsCommonNormalized(string normalized)
    {
        if (entries.Contains(normalized))
        {
            return true;
        }

        var trimmed = TrimDecorations(normalized);
        return trimmed.Length != normalized.Length
            && PasswordNormalizer.CountRunes(trimmed) >= MinTrimmedLength
            && entries.Contains(trimmed);
    }

    private static string TrimDecorations(string value)
    {
        var span = value.AsSpan();
        while (!span.IsEmpty && Rune.DecodeFromUtf16(span, out var rune, out var used) == System.Buffers.OperationStatus.Done
               && IsDecoration(rune))
        {
            span = span[used..];
        }

        while (!span.IsEmpty && Rune.DecodeLastFromUtf16(span, out var rune, out var used) == System.Buffers.OperationStatus.Done
               && IsDecoration(rune))
        {
            span = span[..^used];
        }

        return span.Length == value.Length ? value : span.ToString();
    }

    private static bool IsDecoration(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category == UnicodeCategory.DecimalDigitNumber || CharacterClasses.IsSpecial(category);
    }

    private static CommonPasswordList LoadEmbedded()
    {
        var assembly = typeof(CommonPasswordList).Assembly;
        var name = assembly.GetManifestResourceInfo(ResourceName) is not null
            ? ResourceName
            : assembly.GetManifestResourceNames().FirstOrDefault(static n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal));
        using var stream = (name is null ? null : assembly.GetManifestResourceStream(name))
            ?? throw new InvalidOperationException(
                $"The common-password list is not embedded in {assembly.GetName().Name}: add <EmbeddedResource Include=\"Passwords/Data/common-passwords.txt\" /> to the project.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>(32_768);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return new CommonPasswordList(lines);
    }
}
