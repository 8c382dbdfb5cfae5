using IdentityHub.Passwords;
using Xunit;

namespace IdentityHub.Tests.Passwords;

public sealed class PasswordRuleCodesTests
{
    [Fact]
    public void Codes_are_stable_and_in_report_order()
    {
        Assert.Equal(
            [
                "min_length", "max_length", "invalid_characters", "missing_uppercase", "missing_lowercase", "missing_digit", "missing_special",
                "consecutive_identical", "common_password", "weak_pattern", "contains_user_info", "reused_password",
                "same_as_current", "too_weak",
            ],
            PasswordRuleCodes.All);
    }

    [Fact]
    public void Constants_match_the_list()
    {
        Assert.Equal(PasswordRuleCodes.All.Count, PasswordRuleCodes.All.Distinct().Count());
        Assert.Equal("too_weak", PasswordRuleCodes.TooWeak);
        Assert.Equal("reused_password", PasswordRuleCodes.ReusedPassword);
        Assert.Equal("same_as_current", PasswordRuleCodes.SameAsCurrent);
        Assert.Equal("contains_user_info", PasswordRuleCodes.ContainsUserInfo);
    }
}
