using IdentityHub.EmailVerification;
using IdentityHub.Invitations;
using IdentityHub.AccountPolicies;
using IdentityHub.Housekeeping;
using IdentityHub.Accounts;
using IdentityHub.Administration;
using IdentityHub.BackchannelLogout;
using IdentityHub.SharedSignals;
using IdentityHub.Audit;
using IdentityHub.Consents;
using IdentityHub.Notifications;
using IdentityHub.PasswordChanges;
using IdentityHub.PasswordResets;
using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.Sessions;
using IdentityHub.StepUp;
using IdentityHub.Telemetry;
using IdentityHub.Tenancy;
using IdentityHub.Throttling;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the IdentityHub core: persistence, Identity, OpenIddict's stores and the account services.</summary>
public static class IdentityHubServiceCollectionExtensions
{
    /// <summary>
    /// Adds the core services. <paramref name="contentRoot"/> resolves a relative database path. Services are added
    /// with <c>TryAdd</c> where a host or a test may bring its own. Settings come from the host's configuration
    /// (<c>IdentityHub:Database</c>, <c>:Passwords:Hashing</c>, <c>:Mail</c>, <c>:StepUp</c>, <c>:Sessions</c>,
    /// <c>:Lockout</c>, <c>:Throttling</c>, <c>:Housekeeping</c>, <c>:PasswordResets</c>), each checked when the host starts.
    /// </summary>
    public static IdentityBuilder AddIdentityHubCore(this IServiceCollection services, string contentRoot)
    {
        services.AddCoreOptions();
        var identity = services.AddStore(contentRoot);
        services.AddCapabilities();
        services.AddNotifications(contentRoot);
        return identity;
    }

    /// <summary>
    /// One pattern for every section: bound, checked against its data annotations (nested objects included) and
    /// validated when the host starts, so a wrong setting, or a value that does not convert, stops the host with a
    /// message naming it instead of failing at first use (the SMTP settings would otherwise fail in the outbox).
    /// </summary>
    private static void AddCoreOptions(this IServiceCollection services)
    {
        services.AddOptions<PasswordHashingOptions>().BindConfiguration("IdentityHub:Passwords:Hashing").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration("IdentityHub:Mail").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StepUpOptions>().BindConfiguration("IdentityHub:StepUp").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionLifetimeOptions>().BindConfiguration("IdentityHub:Sessions").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutPolicyOptions>().BindConfiguration("IdentityHub:Lockout").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ThrottlingOptions>().BindConfiguration("IdentityHub:Throttling").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HousekeepingOptions>().BindConfiguration("IdentityHub:Housekeeping").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedisOptions>().BindConfiguration("IdentityHub:Redis").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordResetOptions>().BindConfiguration("IdentityHub:PasswordResets").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailVerificationOptions>().BindConfiguration("IdentityHub:EmailVerification").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InvitationOptions>().BindConfiguration("IdentityHub:Invitations").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BackchannelLogoutOptions>().BindConfiguration("IdentityHub:BackchannelLogout").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SharedSignalsOptions>().BindConfiguration("IdentityHub:SharedSignals").ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>
    /// The database alone (<c>IdentityHub:Database</c>, checked when resolved): the pooled context on the configured
    /// provider and the <see cref="DatabaseMigrator"/>. Enough for the <c>migrate</c> command, which needs no keys.
    /// </summary>
    public static IServiceCollection AddIdentityHubDatabase(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("IdentityHub:Database").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        // Pooled: a token request resolves several stores, and creating a context per request was measurable.
        services.AddDbContextPool<IdentityHubDbContext>((provider, options) =>
            options.UseIdentityHubDatabase(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot));
        services.TryAddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>The database, OpenIddict's stores in it, and ASP.NET Core Identity with IdentityHub's password rules and hasher.</summary>
    private static IdentityBuilder AddStore(this IServiceCollection services, string contentRoot)
    {
        services.AddIdentityHubDatabase(contentRoot);
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
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityHubDbContext>();
        // Identity's account-wide lockout comes from the validated IdentityHub:Lockout section.
        services.AddOptions<IdentityOptions>().Configure<IOptions<LockoutPolicyOptions>>((options, lockout) =>
        {
            options.Lockout.MaxFailedAccessAttempts = lockout.Value.MaxFailedAccessAttempts;
            options.Lockout.DefaultLockoutTimeSpan = lockout.Value.DefaultLockoutTimeSpan;
        });

        services.RemoveAll<IPasswordValidator<HubUser>>();
        services.AddScoped<IPasswordValidator<HubUser>, TenantPasswordValidator>();
        services.RemoveAll<IPasswordHasher<HubUser>>();
        services.AddSingleton<IPasswordHasher<HubUser>, NormalizingPasswordHasher>();
        return identity;
    }

    /// <summary>One service per capability: passwords, sessions, lockout and throttling, sign-in, the change and its steps, step-up.</summary>
    private static void AddCapabilities(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdentityHubMetrics>();
        services.TryAddSingleton<PasswordPolicyValidator>();
        services.TryAddScoped<TenantService>();
        services.TryAddScoped<PasswordPolicyService>();
        services.TryAddScoped<SessionService>();
        services.TryAddScoped<OwnSessionsService>();
        services.TryAddScoped<ConsentService>();
        services.TryAddScoped<AccountSignOut>();
        services.TryAddScoped<AuditLog>();
        services.TryAddScoped<FailedAttempts>();
        services.TryAddSingleton<PerIpAttempts>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<SharedRedis>();
        services.TryAddSingleton<AttemptCounters>();
        services.TryAddSingleton<PasswordHashGate>();
        services.TryAddSingleton<DummyPasswordHash>();
        services.TryAddScoped<PasswordSignInService>();
        services.TryAddScoped<ChangePasswordService>();
        services.TryAddScoped<AccountLookup>();
        services.TryAddScoped<PresenceCheck>();
        services.TryAddScoped<NewPasswordCheck>();
        services.TryAddScoped<PasswordChangeCommit>();
        services.TryAddScoped<PasswordChangeNotices>();
        services.TryAddScoped<PasswordChangeReceipts>();
        services.TryAddScoped<PasswordHistory>();
        services.TryAddScoped<AccountPolicyService>();
        services.TryAddSingleton<StepUpTokenService>();
        services.TryAddScoped<PasswordResetService>();
        services.TryAddScoped<UserAdministration>();
        services.TryAddScoped<UserDirectory>();
        services.TryAddScoped<AccountCreation>();
        services.TryAddScoped<AdminPasswords>();
        services.TryAddScoped<ResetLinkSender>();
        services.TryAddScoped<ResetLinkCheck>();
        services.TryAddScoped<PasswordResetTokens>();
        services.TryAddScoped<PasswordResetTickets>();
        services.TryAddSingleton<PasswordResetThrottle>();
        services.TryAddScoped<EmailVerificationService>();
        services.TryAddSingleton<EmailVerificationThrottle>();
        services.TryAddScoped<InvitationService>();
        services.TryAddScoped<HousekeepingService>();
        services.TryAddSingleton<HubInstance>();
        services.TryAddScoped<JobLeases>();
        services.AddHostedService<HousekeepingWorker>();
    }

    /// <summary>The notification email: languages, rendering, the outbox and its sender, and the transport (SMTP, or a pickup folder).</summary>
    private static void AddNotifications(this IServiceCollection services, string contentRoot)
    {
        services.TryAddSingleton<LocaleResolver>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddScoped<PasswordChangedNotifier>();
        services.TryAddScoped<PasswordResetNotifier>();
        services.TryAddScoped<EmailLinkNotifier>();
        // Back-channel logout: the host registers the signing key (EventTokenSigningKey).
        services.TryAddScoped<BackchannelLogoutQueue>();
        services.TryAddSingleton<LogoutTokens>();
        services.TryAddSingleton<LogoutTokenDelivery>();
        services.TryAddSingleton<TokenPush>();
        // Shared Signals: streams, their SETs in the outbox, push delivery (the signing key is the same one).
        services.TryAddScoped<SecurityEventQueue>();
        services.TryAddScoped<SecurityEventStreams>();
        services.TryAddScoped<SecurityEventPolling>();
        services.TryAddSingleton<SecurityEventTokens>();
        services.TryAddScoped<SecurityEventDelivery>();
        services.TryAddSingleton<IMailTransport>(provider =>
        {
            var mail = provider.GetRequiredService<IOptions<MailOptions>>().Value;
            return string.IsNullOrWhiteSpace(mail.Smtp.Host)
                ? new PickupDirectoryMailTransport(ResolveDatabasePath(mail.PickupDirectory, contentRoot), provider.GetRequiredService<TimeProvider>())
                : ActivatorUtilities.CreateInstance<SmtpMailTransport>(provider);
        });
        services.AddHostedService<OutboxSender>();
    }

    /// <summary>The absolute path of the database file for a configured (possibly relative) path.</summary>
    public static string ResolveDatabasePath(string path, string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path));
}
