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
    public void Null_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => PasswordNormalizer.Normalize(null!));
        Assert.Throws<ArgumentNullException>(() => PasswordNormalizer.CountCharacters(null!));
    }
}
