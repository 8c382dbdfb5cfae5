using System.Text.Json;
using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class PasswordPolicyTests
{
    [Fact]
    public void Strict_preset_has_documented_values()
    {
        var p = PasswordPolicy.Strict;
        Assert.Equal("strict", p.Preset);
        Assert.Equal(12, p.MinLength);
        Assert.Equal(128, p.MaxLength);
        Assert.True(p.RequireUppercase);
        Assert.True(p.RequireLowercase);
        Assert.True(p.RequireDigit);
        Assert.True(p.RequireSpecial);
        Assert.Null(p.SpecialCharacters);
        Assert.Equal(3, p.MaxConsecutiveIdentical);
        Assert.True(p.BlockCommonPasswords);
        Assert.True(p.BlockWeakPatterns);
        Assert.True(p.BlockUserInfo);
        Assert.Equal(5, p.HistoryDepth);
        Assert.Equal(0, p.MinStrengthScore);
    }

    [Fact]
    public void Standard_preset_has_documented_values()
    {
        var p = PasswordPolicy.Standard;
        Assert.Equal("standard", p.Preset);
        Assert.Equal(8, p.MinLength);
        Assert.Equal(128, p.MaxLength);
        Assert.True(p.RequireUppercase && p.RequireLowercase && p.RequireDigit && p.RequireSpecial);
        Assert.Equal("!@#$%^&*()_+={}[]|:;'\"<>,.?/", p.SpecialCharacters);
        Assert.Equal(0, p.MaxConsecutiveIdentical);
        Assert.True(p.BlockCommonPasswords);
        Assert.False(p.BlockWeakPatterns);
        Assert.True(p.BlockUserInfo);
        Assert.Equal(5, p.HistoryDepth);
        Assert.Equal(0, p.MinStrengthScore);
    }

    [Fact]
    public void Nist_preset_has_documented_values()
    {
        var p = PasswordPolicy.Nist;
        Assert.Equal("nist", p.Preset);
        Assert.Equal(15, p.MinLength);
        Assert.Equal(128, p.MaxLength);
        Assert.False(p.RequireUppercase || p.RequireLowercase || p.RequireDigit || p.RequireSpecial);
        Assert.Equal(0, p.MaxConsecutiveIdentical);
        Assert.True(p.BlockCommonPasswords);
        Assert.False(p.BlockWeakPatterns);
        Assert.True(p.BlockUserInfo);
        Assert.Equal(5, p.HistoryDepth);
        Assert.Equal(0, p.MinStrengthScore);
    }

    [Fact]
    public void Default_instance_equals_strict() => Assert.Equal(PasswordPolicy.Strict, new PasswordPolicy());

    [Theory]
    [InlineData(null, "strict")]
    [InlineData("", "strict")]
    [InlineData("  ", "strict")]
    [InlineData("strict", "strict")]
    [InlineData("STANDARD", "standard")]
    [InlineData(" Nist ", "nist")]
    public void Preset_names_are_case_insensitive_and_default_to_strict(string? name, string expected)
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = name });
        Assert.Equal(expected, policy.Preset);
    }

    [Fact]
    public void Resolve_without_options_or_overrides_returns_the_preset()
    {
        Assert.Same(PasswordPolicy.Strict, PasswordPolicy.Resolve(null));
        Assert.Equal(PasswordPolicy.Strict, PasswordPolicy.Resolve(new PasswordPolicyOptions()));
        Assert.Equal(PasswordPolicy.Standard, PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = "standard" }));
        Assert.Equal(PasswordPolicy.Nist, PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = "nist" }));
    }

    [Fact]
    public void Options_default_to_strict_with_no_overrides()
    {
        var options = new PasswordPolicyOptions();
        Assert.Equal("strict", options.Preset);
        Assert.Null(options.MinLength);
        Assert.Null(options.SpecialCharacters);
        Assert.Null(options.MinStrengthScore);
        Assert.Equal("PasswordPolicy", PasswordPolicyOptions.SectionName);
    }

    [Fact]
    public void Overrides_apply_on_top_of_the_preset()
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions
        {
            Preset = "nist",
            MinLength = 16,
            MaxLength = 64,
            RequireDigit = true,
            MaxConsecutiveIdentical = 2,
            BlockWeakPatterns = true,
            BlockUserInfo = false,
            HistoryDepth = 0,
            MinStrengthScore = 3,
        });

        Assert.Equal(PasswordPolicy.Nist with
        {
            MinLength = 16,
            MaxLength = 64,
            RequireDigit = true,
            MaxConsecutiveIdentical = 2,
            BlockWeakPatterns = true,
            BlockUserInfo = false,
            HistoryDepth = 0,
            MinStrengthScore = 3,
        }, policy);
        Assert.Equal("nist", policy.Preset);
    }

    [Fact]
    public void Unset_overrides_keep_preset_values()
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = "standard", MinLength = 10 });
        Assert.Equal(PasswordPolicy.Standard with { MinLength = 10 }, policy);
    }

    [Theory]
    [InlineData("standard", "", null)]
    [InlineData("strict", "!!-_", "!-_")]
    [InlineData("strict", "！＠", "!@")]
    [InlineData("nist", " ", " ")]
    public void Special_character_override_is_canonicalised(string preset, string configured, string? expected)
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = preset, SpecialCharacters = configured });
        Assert.Equal(expected, policy.SpecialCharacters);
    }

    [Fact]
    public void Unknown_preset_is_rejected_with_the_valid_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = "paranoid" }));
        Assert.Contains("paranoid", ex.Message);
        Assert.Contains("strict, standard, nist", ex.Message);
        Assert.Equal("options", ex.ParamName);
    }

    public static TheoryData<PasswordPolicyOptions, string> InvalidOptions => new()
    {
        { new PasswordPolicyOptions { MinLength = 0 }, "MinLength must be at least 1" },
        { new PasswordPolicyOptions { MinLength = -5 }, "MinLength must be at least 1" },
        { new PasswordPolicyOptions { MinLength = 20, MaxLength = 10 }, "must not exceed MaxLength" },
        { new PasswordPolicyOptions { MinLength = 200 }, "must not exceed MaxLength" },
        { new PasswordPolicyOptions { MaxLength = 4097 }, "MaxLength must be between 1 and 4096" },
        { new PasswordPolicyOptions { MaxLength = 0, MinLength = 1 }, "MaxLength must be between 1 and 4096" },
        { new PasswordPolicyOptions { MinLength = 1, MaxLength = 3 }, "too short to hold the 4 required character classes" },
        { new PasswordPolicyOptions { MaxConsecutiveIdentical = -1 }, "MaxConsecutiveIdentical" },
        { new PasswordPolicyOptions { HistoryDepth = -1 }, "HistoryDepth" },
        { new PasswordPolicyOptions { HistoryDepth = 25 }, "HistoryDepth" },
        { new PasswordPolicyOptions { MinStrengthScore = 5 }, "MinStrengthScore" },
        { new PasswordPolicyOptions { MinStrengthScore = -1 }, "MinStrengthScore" },
        { new PasswordPolicyOptions { SpecialCharacters = "!a" }, "SpecialCharacters must not contain" },
        { new PasswordPolicyOptions { SpecialCharacters = "!7" }, "SpecialCharacters must not contain" },
        { new PasswordPolicyOptions { SpecialCharacters = "!\t" }, "SpecialCharacters must not contain" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Contradictory_or_out_of_range_values_are_rejected(PasswordPolicyOptions options, string expectedMessage)
    {
        var ex = Assert.Throws<ArgumentException>(() => PasswordPolicy.Resolve(options));
        Assert.Contains(expectedMessage, ex.Message);
    }

    [Fact]
    public void Every_problem_is_listed_in_one_exception()
    {
        var ex = Assert.Throws<ArgumentException>(() => PasswordPolicy.Resolve(new PasswordPolicyOptions
        {
            MinLength = 0,
            HistoryDepth = 99,
            MinStrengthScore = 9,
        }));
        Assert.Contains("MinLength", ex.Message);
        Assert.Contains("HistoryDepth", ex.Message);
        Assert.Contains("MinStrengthScore", ex.Message);
    }

    [Fact]
    public void Composition_rules_off_allow_a_one_character_maximum()
    {
        var policy = PasswordPolicy.Resolve(new PasswordPolicyOptions { Preset = "nist", MinLength = 1, MaxLength = 1 });
        Assert.Equal(1, policy.MaxLength);
    }

    [Fact]
    public void Serialises_to_the_snake_case_endpoint_shape()
    {
        var json = JsonSerializer.Serialize(PasswordPolicy.Strict);
        using var doc = JsonDocument.Parse(json);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(
            [
                "preset", "min_length", "max_length", "require_uppercase", "require_lowercase", "require_digit",
                "require_special", "special_characters", "max_consecutive_identical", "block_common_passwords",
                "block_weak_patterns", "block_user_info", "history_depth", "min_strength_score",
            ],
            names);
        var root = doc.RootElement;
        Assert.Equal("strict", root.GetProperty("preset").GetString());
        Assert.Equal(12, root.GetProperty("min_length").GetInt32());
        Assert.Equal(128, root.GetProperty("max_length").GetInt32());
        Assert.True(root.GetProperty("require_special").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("special_characters").ValueKind);
        Assert.Equal(3, root.GetProperty("max_consecutive_identical").GetInt32());
        Assert.Equal(5, root.GetProperty("history_depth").GetInt32());
        Assert.Equal(0, root.GetProperty("min_strength_score").GetInt32());
    }

    [Fact]
    public void Standard_special_characters_survive_a_json_round_trip()
    {
        var json = JsonSerializer.Serialize(PasswordPolicy.Standard);
        var back = JsonSerializer.Deserialize<PasswordPolicy>(json);
        Assert.Equal(PasswordPolicy.Standard, back);
    }
}
