namespace IdentityHub.Passwords;

/// <summary>
/// The <c>contains_user_info</c> rule. Builds the pieces of <see cref="PasswordSubject"/> that a
/// password must not contain and tests them as case-insensitive substrings of the NFKC password.
/// </summary>
/// <remarks>
/// Every value is NFKC-normalised and lower-cased (invariant culture). For each value the pieces are:
/// the whole trimmed value, the value with its separators removed (<c>Jean-Luc</c> → <c>jeanluc</c>), and
/// each part between separators (whitespace and <c>. _ - + , @</c>). For an e-mail address (and a user
/// name containing <c>@</c>) only the local part before the last <c>@</c> is used. Pieces shorter than
/// <see cref="MinPieceLength"/> code points are ignored so that initials and short particles
/// (<c>li</c>, <c>de</c>) do not reject unrelated passwords.
/// </remarks>
internal static class UserInfoMatcher
{
    /// <summary>Pieces shorter than this many code points are ignored.</summary>
    public const int MinPieceLength = 3;

    private static readonly char[] Separators = [' ', '\t', '.', '_', '-', '+', ',', '@'];

    /// <summary>The distinct lower-case pieces of <paramref name="subject"/>, longest first.</summary>
    public static IReadOnlyList<string> Pieces(PasswordSubject subject)
    {
        var pieces = new HashSet<string>(StringComparer.Ordinal);
        AddEmailLike(pieces, subject.Email);
        if (subject.UserName is not null && subject.UserName.Contains('@', StringComparison.Ordinal))
        {
            AddEmailLike(pieces, subject.UserName);
        }
        else
        {
            AddValue(pieces, subject.UserName);
        }

        AddValue(pieces, subject.DisplayName);
        AddValue(pieces, subject.TenantName);
        return pieces.OrderByDescending(static p => p.Length).ThenBy(static p => p, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Whether the NFKC <paramref name="normalized"/> password contains any of <paramref name="pieces"/>.</summary>
    public static bool Contains(string normalized, IReadOnlyList<string> pieces)
    {
        if (pieces.Count == 0)
        {
            return false;
        }

        var lower = normalized.ToLowerInvariant();
        foreach (var piece in pieces)
        {
            if (lower.Contains(piece, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddEmailLike(HashSet<string> pieces, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }

        var at = email.LastIndexOf('@');
        AddValue(pieces, at >= 0 ? email[..at] : email);
    }

    private static void AddValue(HashSet<string> pieces, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        var normalized = PasswordNormalizer.Normalize(value).ToLowerInvariant().Trim();
        AddPiece(pieces, normalized);
        var parts = normalized.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        AddPiece(pieces, string.Concat(parts));
        foreach (var part in parts)
        {
            AddPiece(pieces, part);
        }
    }

    private static void AddPiece(HashSet<string> pieces, string piece)
    {
        if (PasswordNormalizer.CountRunes(piece) >= MinPieceLength)
        {
            pieces.Add(piece);
        }
    }
}
