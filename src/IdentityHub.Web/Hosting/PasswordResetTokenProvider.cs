using IdentityHub.Accounts;
using IdentityHub.PasswordResets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// ASP.NET Core Identity's Data Protection token provider, under its own name and lifetime, for reset links
/// (<see cref="PasswordResetTokens"/>): its tokens are protected with the keys in the database (any instance reads
/// them), carry the user's security stamp (a password change ends them) and expire after
/// <see cref="PasswordResetOptions.TokenLifetime"/>. The core adds what Identity's token lacks: single use and
/// superseding (<see cref="PasswordResetTicket"/>).
/// </summary>
internal sealed class PasswordResetTokenProvider(
    IDataProtectionProvider dataProtection, IOptions<PasswordResetTokenProvider.Settings> options, ILogger<DataProtectorTokenProvider<HubUser>> logger)
    : DataProtectorTokenProvider<HubUser>(dataProtection, options, logger)
{
    /// <summary>Its own options type, so that its lifetime is not every Data Protection token's.</summary>
    internal sealed class Settings : DataProtectionTokenProviderOptions;

    /// <summary>Registers the provider under <see cref="PasswordResetTokens.ProviderName"/>, its lifetime from <c>IdentityHub:PasswordResets</c>.</summary>
    public static IServiceCollection AddPasswordResetTokens(IServiceCollection services)
    {
        services.AddOptions<Settings>().Configure<IOptions<PasswordResetOptions>>((settings, resets) =>
        {
            settings.Name = PasswordResetTokens.ProviderName;
            settings.TokenLifespan = resets.Value.TokenLifetime;
        });
        services.Configure<IdentityOptions>(identity =>
            identity.Tokens.ProviderMap[PasswordResetTokens.ProviderName] = new TokenProviderDescriptor(typeof(PasswordResetTokenProvider)));
        services.AddTransient<PasswordResetTokenProvider>();
        return services;
    }
}
