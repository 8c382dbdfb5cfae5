using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class UserInfoTests
{
    private static readonly PasswordPolicyValidator Validator = new();

    private static readonly PasswordSubject Alice = new("alice.smith+work@example.org", "asmith", "Alice van der Berg", "Contoso Ltd");

    private static bool ContainsUserInfo(string password, PasswordSubject subject) =>
        Validator.Validate(password, TestPolicies.UserInfoOnly, subject).Contains(PasswordRuleCodes.ContainsUserInfo);

    [Theory]
    [InlineData("xxALICExx")] // e-mail local-part piece and display-name piece
    [InlineData("Smith!2024")]
    [InlineData("WORK-from-home")] // "work" from the +tag
    [InlineData("alice.smith+work")] // whole local part
    [InlineData("AliceSmithWork")] // local part without separators
    [InlineData("I-am-asmith")] // user name
    [InlineData("berg-climber")] // display-name part
    [InlineData("VANDERberg")] // "van der" parts are 3 chars each
    [InlineData("AliceVanDerBerg")] // display name without spaces
    [InlineData("contoso-rocks")] // tenant part
    [InlineData("ContosoLtd")] // tenant without spaces
    [InlineData("ltd-company")] // 3-char tenant part
    [InlineData("ＡＬＩＣＥ")] // full-width password folds first
    public void Detects_pieces_case_insensitively(string password) => Assert.True(ContainsUserInfo(password, Alice));

    [Theory]
    [InlineData("example-domain")] // e-mail domain is ignored
    [InlineData("orgchart")]
    [InlineData("Alic3-Sm1th")] // substring only, no l33t folding (zxcvbn covers that)
    [InlineData("Correct-Horse-Battery-9")]
    [InlineData("")]
    public void Ignores_non_matching_passwords(string password) => Assert.False(ContainsUserInfo(password, Alice));

    [Fact]
    public void Ignores_pieces_shorter_than_three_characters()
    {
        var subject = new PasswordSubject("jo.li+x@ex.com", "al", "Bo Wu", "AB");
        Assert.False(ContainsUserInfo("Jo-Li-x-Bo-Wu-AB-al-ex-com", subject));
        Assert.True(ContainsUserInfo("my-jo.li+x-key", subject)); // whole local part is long enough
        Assert.True(ContainsUserInfo("jolix", subject)); // so is the local part without separators
        Assert.True(ContainsUserInfo("BOWU!", subject)); // display name without spaces
    }

    [Fact]
    public void User_name_that_is_an_email_uses_only_its_local_part()
    {
        var subject = new PasswordSubject(null, "maria.garcia@contoso.com", null, null);
        Assert.True(ContainsUserInfo("GARCIA!", subject));
        Assert.False(ContainsUserInfo("welcome-to-contoso.com", subject));
    }

    [Fact]
    public void Non_ascii_names_are_matched_after_nfkc_and_case_folding()
    {
        var subject = new PasswordSubject(null, null, "Zoë Ölund", "Ｆａｂｒｉｋａｍ");
        Assert.True(ContainsUserInfo("ZOË-rocks", subject));
        Assert.True(ContainsUserInfo("Zoe\u0308-rocks", subject)); // decomposed ë composes under NFKC
        Assert.True(ContainsUserInfo("ölund", subject));
        Assert.True(ContainsUserInfo("fabrikam2024", subject));
        Assert.False(ContainsUserInfo("Zoe-rocks", subject));
    }

    [Fact]
    public void Empty_subject_never_matches()
    {
        Assert.False(ContainsUserInfo("anything", PasswordSubject.None));
        Assert.False(ContainsUserInfo("anything", new PasswordSubject("", " ", null, "@")));
    }

    [Fact]
    public void Is_on_in_every_preset()
    {
        Assert.Contains(PasswordRuleCodes.ContainsUserInfo, Validator.Validate("Contoso-Rocks-9!", PasswordPolicy.Strict, Alice));
        Assert.Contains(PasswordRuleCodes.ContainsUserInfo, Validator.Validate("Contoso-Rocks-9!", PasswordPolicy.Standard, Alice));
        Assert.Contains(PasswordRuleCodes.ContainsUserInfo, Validator.Validate("contoso rocks forever", PasswordPolicy.Nist, Alice));
    }
}
