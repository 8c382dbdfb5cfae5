using IdentityHub.Notifications;
using Microsoft.Extensions.Options;

namespace IdentityHub.Tests.Notifications;

public sealed class LocaleResolverTests
{
    private static readonly LocaleResolver Resolver = new(Options.Create(new MailOptions()));

    [Theory]
    [InlineData("fr-CA", "fr")]
    [InlineData("de-AT", "de")]
    [InlineData("es-MX", "es")]
    [InlineData("en-GB", "en")]
    [InlineData("fr", "fr")]
    public void Resolve_FollowsTheParentChain(string requested, string expected) =>
        Assert.Equal(expected, Resolver.Resolve([requested]).Name);

    [Fact]
    public void Resolve_SkipsUnsupportedAndInvalidCandidates_InOrder()
    {
        // explicit (unsupported) -> Accept-Language (garbage, then German) -> user -> tenant
        var culture = Resolver.Resolve(["pt-BR", "!!", "de", "fr", "es"]);

        Assert.Equal("de", culture.Name);
    }

    [Fact]
    public void Resolve_SkipsInventedAndOverlongTags_WithoutCreatingCultures()
    {
        // Well-formed but not a predefined culture, and a tag longer than any real one: both skipped.
        Assert.Equal("de", Resolver.Resolve(["qq-Zzzz-QQ", "fr-" + new string('x', LocaleResolver.MaxTagLength), "de"]).Name);
    }

    [Fact]
    public void Resolve_FallsBackToTheTenantDefault_ThenEnglish()
    {
        Assert.Equal("fr", Resolver.Resolve([null, "pt", null, "fr"]).Name);
        Assert.Equal("en", Resolver.Resolve([null, "pt", "ja"]).Name);
        Assert.Equal("en", Resolver.Resolve([]).Name);
    }
}
