using System.Globalization;
using System.Text;

namespace IdentityHub.Passwords;

/// <summary>Unicode-category tests shared by the composition rules and the block-list trimming.</summary>
internal static class CharacterClasses
{
    /// <summary>Upper-case or title-case letter of any script (Lu, Lt).</summary>
    public static bool IsUpper(UnicodeCategory category) =>
        category is UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter;

    /// <summary>Lower-case letter of any script (Ll).</summary>
    public static bool IsLower(UnicodeCategory category) => category == UnicodeCategory.LowercaseLetter;

    /// <summary>Decimal digit of any script (Nd), e.g. 0–9, Arabic-Indic ٠–٩, Devanagari ०–९.</summary>
    public static bool IsDigit(UnicodeCategory category) => category == UnicodeCategory.DecimalDigitNumber;

    /// <summary>Punctuation (P*), symbol (S*, including emoji) or space separator (Zs); never a control character.</summary>
    public static bool IsSpecial(UnicodeCategory category) => category switch
    {
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
            or UnicodeCategory.OtherSymbol => true,
        UnicodeCategory.SpaceSeparator => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="rune"/> is special under <paramref name="specialCharacters"/> (null = by category).</summary>
    public static bool IsSpecial(Rune rune, UnicodeCategory category, string? specialCharacters)
    {
        if (specialCharacters is null)
        {
            return IsSpecial(category);
        }

        if (rune.IsBmp)
        {
            return specialCharacters.Contains((char)rune.Value, StringComparison.Ordinal);
        }

        Span<char> buffer = stackalloc char[2];
        var length = rune.EncodeToUtf16(buffer);
        return specialCharacters.AsSpan().IndexOf(buffer[..length], StringComparison.Ordinal) >= 0;
    }
}
