using IdentityHub.AccountPolicies;
using IdentityHub.Accounts;
using IdentityHub.Audit;
using IdentityHub.Notifications;
using IdentityHub.PasswordChanges;
using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using IdentityHub.Tenancy;
using IdentityHub.Throttling;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the IdentityHub core: persistence, Identity, OpenIddict's stores and the account services.</summary>
public static class IdentityHubServiceCollectionExtensions
{
    /// <summary>
    /// Adds the core services. <paramref name="contentRoot"/> resolves a relative database path. Services are added
    /// with <c>TryAdd</c> where a host or a test may bring its own.
    /// </summary>
    public static IdentityBuilder AddIdentityHubCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection("IdentityHub:Database")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHashingOptions>().Bind(configuration.GetSection("IdentityHub:Passwords:Hashing")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().Bind(configuration.GetSection("IdentityHub:Mail")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StepUpOptions>().Bind(configuration.GetSection("IdentityHub:StepUp")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionLifetimeOptions>().BindConfiguration("IdentityHub:Sessions").ValidateDataAnnotations().ValidateOnStart();
        // The same section as Identity's own lockout settings below; each binder ignores the other's keys.
        services.AddOptions<LockoutPolicyOptions>().BindConfiguration("IdentityHub:Lockout").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ThrottlingOptions>().BindConfiguration("IdentityHub:Throttling").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddDbContext<IdentityHubDbContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UseSqlite($"Data Source={ResolveDatabasePath(database.Path, contentRoot)};Pooling=True");
            options.AddInterceptors(new SqlitePragmaInterceptor(database.BusyTimeoutMilliseconds, database.Synchronous));
            options.UseOpenIddict();
        });

        services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityHubDbContext>());

        var identity = services.AddIdentityCore<HubUser>(options =>
            {
                // The tenant-aware policy replaces Identity's composition rules (see TenantPasswordValidator).
                options.Password.RequiredLength = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 0;
                // Emails are unique per tenant only; the user name (tenant + email) is what is globally unique.
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters = null!;
                options.Lockout.AllowedForNewUsers = true;
                // Account-wide, for every IP: higher than the per-IP limit (LockoutPolicyOptions, 5), so that one
                // attacker locks themselves out of the account long before they lock its owner out.
                options.Lockout.MaxFailedAccessAttempts = 20;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                configuration.GetSection("IdentityHub:Lockout").Bind(options.Lockout);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityHubDbContext>();

        services.RemoveAll<IPasswordValidator<HubUser>>();
        services.AddScoped<IPasswordValidator<HubUser>, TenantPasswordValidator>();
        services.RemoveAll<IPasswordHasher<HubUser>>();
        services.AddSingleton<IPasswordHasher<HubUser>, NormalizingPasswordHasher>();

        services.TryAddSingleton<PasswordPolicyValidator>();
        services.TryAddScoped<TenantService>();
        services.TryAddScoped<PasswordPolicyService>();
        services.TryAddScoped<SessionService>();
        services.TryAddScoped<AuditLog>();
        services.TryAddScoped<FailedAttempts>();
        services.TryAddSingleton<PerIpAttempts>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<PasswordHashGate>();
        services.TryAddSingleton<DummyPasswordHash>();
        services.TryAddScoped<PasswordSignInService>();
        services.TryAddScoped<ChangePasswordService>();
        services.TryAddScoped<PresenceCheck>();
        services.TryAddScoped<NewPasswordCheck>();
        services.TryAddScoped<PasswordChangeCommit>();
        services.TryAddScoped<PasswordHistory>();
        services.TryAddScoped<AccountPolicyService>();
        services.TryAddSingleton<StepUpTokenService>();

        services.TryAddSingleton<LocaleResolver>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddScoped<PasswordChangedNotifier>();
        services.TryAddSingleton<IMailTransport>(provider =>
        {
            var mail = provider.GetRequiredService<IOptions<MailOptions>>().Value;
            return string.IsNullOrWhiteSpace(mail.Smtp.Host)
                ? new PickupDirectoryMailTransport(ResolveDatabasePath(mail.PickupDirectory, contentRoot))
                : ActivatorUtilities.CreateInstance<SmtpMailTransport>(provider);
        });
        services.AddHostedService<OutboxSender>();
        return identity;
    }

    /// <summary>The absolute path of the database file for a configured (possibly relative) path.</summary>
    public static string ResolveDatabasePath(string path, string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path));
}
