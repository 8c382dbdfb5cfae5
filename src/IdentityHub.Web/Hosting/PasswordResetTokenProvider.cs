using IdentityHub.Accounts;
using IdentityHub.EmailVerification;
using IdentityHub.Invitations;
using IdentityHub.PasswordResets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// ASP.NET Core Identity's Data Protection token provider, under its own name and lifetime, for reset links
/// (<see cref="PasswordResetTokens"/>): its tokens are protected with the keys in the database (any instance reads
/// them), carry the user's security stamp (a password change ends them) and expire after
/// <see cref="PasswordResetOptions.TokenLifetime"/>. The core adds what Identity's token lacks: single use and
/// superseding (<see cref="PasswordResetTicket"/>). Invitation and email-verification links get the same provider under
/// their own names and lifetimes (<see cref="EmailLinkKind"/>).
/// </summary>
internal sealed class PasswordResetTokenProvider<TSettings>(
    IDataProtectionProvider dataProtection, IOptions<TSettings> options, ILogger<DataProtectorTokenProvider<HubUser>> logger)
    : DataProtectorTokenProvider<HubUser>(dataProtection, options, logger)
    where TSettings : DataProtectionTokenProviderOptions;

/// <summary>Registers the emailed links' token providers.</summary>
internal static class PasswordResetTokenProvider
{
    /// <summary>Each provider's own options type, so that its lifetime is not every Data Protection token's.</summary>
    internal sealed class Settings : DataProtectionTokenProviderOptions;

    internal sealed class InvitationSettings : DataProtectionTokenProviderOptions;

    internal sealed class EmailVerificationSettings : DataProtectionTokenProviderOptions;

    /// <summary>
    /// Registers the providers under <see cref="PasswordResetTokens.ProviderName"/> (lifetime from <c>IdentityHub:PasswordResets</c>),
    /// <see cref="PasswordResetTokens.InvitationProviderName"/> (<c>IdentityHub:Invitations</c>) and
    /// <see cref="PasswordResetTokens.EmailVerificationProviderName"/> (<c>IdentityHub:EmailVerification</c>).
    /// </summary>
    public static IServiceCollection AddPasswordResetTokens(IServiceCollection services)
    {
        Add<Settings, PasswordResetOptions>(services, PasswordResetTokens.ProviderName, o => o.TokenLifetime);
        Add<InvitationSettings, InvitationOptions>(services, PasswordResetTokens.InvitationProviderName, o => o.TokenLifetime);
        Add<EmailVerificationSettings, EmailVerificationOptions>(services, PasswordResetTokens.EmailVerificationProviderName, o => o.TokenLifetime);
        return services;
    }

    private static void Add<TSettings, TOptions>(IServiceCollection services, string name, Func<TOptions, TimeSpan> lifetime)
        where TSettings : DataProtectionTokenProviderOptions
        where TOptions : class
    {
        services.AddOptions<TSettings>().Configure<IOptions<TOptions>>((settings, options) =>
        {
            settings.Name = name;
            settings.TokenLifespan = lifetime(options.Value);
        });
        services.Configure<IdentityOptions>(identity =>
            identity.Tokens.ProviderMap[name] = new TokenProviderDescriptor(typeof(PasswordResetTokenProvider<TSettings>)));
        services.AddTransient<PasswordResetTokenProvider<TSettings>>();
    }
}
