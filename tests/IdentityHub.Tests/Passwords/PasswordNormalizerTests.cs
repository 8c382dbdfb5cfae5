using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class PasswordNormalizerTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("😀", 1)] // two UTF-16 units, one code point
    [InlineData("ﬃ", 3)] // ligature expands under NFKC
    [InlineData("ＡＢＣ", 3)] // full-width folds to ASCII, same count
    [InlineData("e\u0301", 1)] // decomposed é composes to one code point
    [InlineData("👨‍👩‍👧", 5)] // ZWJ family: one grapheme, five code points
    [InlineData("Pässwörd-Ünïcode-9", 18)]
    public void Counts_code_points_after_nfkc(string input, int expected) =>
        Assert.Equal(expected, PasswordNormalizer.CountCharacters(input));

    [Theory]
    [InlineData("ＡＢＣ", "ABC")]
    [InlineData("ﬃ", "ffi")]
    [InlineData("\u212B", "\u00C5")] // Angstrom sign -> Å
    [InlineData("①②", "12")]
    [InlineData("Pa\u0301ss", "P\u00E1ss")]
    public void Applies_nfkc(string input, string expected) => Assert.Equal(expected, PasswordNormalizer.Normalize(input));

    [Fact]
    public void Replaces_unpaired_surrogates_instead_of_throwing()
    {
        // Built in code: xunit's test-case serialisation would mangle lone surrogates in InlineData.
        (string Input, string Expected)[] cases =
        [
            ("a\uD800b", "a\uFFFDb"),
            ("\uDC00", "\uFFFD"),
            ("x\uD83D", "x\uFFFD"),
            ("\uDE00\uD83D", "\uFFFD\uFFFD"),
            ("\uD83D\uDE00", "\uD83D\uDE00"),
            ("\uD83D\uD83D\uDE00", "\uFFFD\uD83D\uDE00"),
        ];
        foreach (var (input, expected) in cases)
        {
            Assert.Equal(expected, PasswordNormalizer.Normalize(input));
            Assert.Equal(expected.EnumerateRunes().Count(), PasswordNormalizer.CountCharacters(input));
        }
    }

    [Fact]
    public void Control_characters_surrogates_and_noncharacters_are_invalid_and_never_throw()
    {
        // Built in code for the same reason as above.
        string[] invalid =
        [
            "Secret-Password-1\0", "\u0001abc", "tab\there", "line\nbreak", "del\u007F", "\u001F",
            "non\uFFFEchar", "non\uFFFFchar", "\uFDD0x", "\uFDEF", "plane1\U0001FFFE", "plane16\U0010FFFF", "lone\uD800", "\uDC00",
        ];
        foreach (var password in invalid)
        {
            Assert.True(PasswordNormalizer.ContainsInvalidCharacters(password), Escape(password));
            _ = PasswordNormalizer.Normalize(password);
            _ = PasswordNormalizer.CountCharacters(password);
        }
        Assert.Equal("non\uFFFDchar", PasswordNormalizer.Normalize("non\uFFFEchar"));

        string[] valid = ["Correct Horse Battery Staple", "Pässwörd", "😀 emoji", "ＡＢＣ", "\u00A0nbsp", "\uFFFD", "\uFDCF\uFDF0"];
        foreach (var password in valid)
        {
            Assert.False(PasswordNormalizer.ContainsInvalidCharacters(password), Escape(password));
        }
    }

    private static string Escape(string value) => string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));

    [Fact]
    public void Null_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => PasswordNormalizer.Normalize(null!));
        Assert.Throws<ArgumentNullException>(() => PasswordNormalizer.CountCharacters(null!));
    }
}
