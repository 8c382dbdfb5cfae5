using IdentityHub.Web.Tests.Hosting;
using Microsoft.Extensions.Options;

namespace IdentityHub.Web.Tests.Connect;

/// <summary><c>IdentityHub:Server:ScopeClaims</c> releases only claims that are issued; anything else stops the start.</summary>
public sealed class ScopeClaimsSettingsTests
{
    [Theory]
    [InlineData("profile", "sub")]
    [InlineData("staff", "password_hash")]
    [InlineData("bad scope", "name")]
    public void AScopeReleasingAClaimThatIsNotIssued_StopsTheHost_NamingTheKey(string scope, string claim)
    {
        using var host = new BadSettingHost(settings =>
            settings["Server"] = new { AllowInsecureHttp = true, ScopeClaims = new Dictionary<string, string[]> { [scope] = ["name", claim] } });

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        var reported = SettingsValidationTests.Flatten(error).OfType<OptionsValidationException>().FirstOrDefault(e => e.Message.Contains("IdentityHub:Server:ScopeClaims"));
        Assert.True(reported is not null, error.ToString());
        Assert.Contains(claim == "name" ? $"'{scope}'" : $"'{claim}'", reported.Message);
    }
}
