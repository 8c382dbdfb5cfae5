using IdentityHub.Passwords;
using IdentityHub.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IdentityHub.Web.Hosting;

/// <summary>What running the host in production takes: shared keys, HSTS, health checks, a start-up log line.</summary>
internal static partial class OperationsExtensions
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        // The keys that protect the session and antiforgery cookies live in the database, so a restart (or a second
        // instance on the same database) still reads the cookies it issued, and forms posted across it still pass.
        services.AddDataProtection().PersistKeysToDbContext<IdentityHubDbContext>().SetApplicationName("IdentityHub");
        KeyRingWarmUp.ReplaceTheFrameworksStartUpLoad(services);
        // Reset links are protected with the same keys, so any instance reads a link another one sent.
        PasswordResetTokenProvider.AddPasswordResetTokens(services);
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        services.AddOptions<ReadinessOptions>().BindConfiguration("IdentityHub:Readiness").ValidateDataAnnotations().ValidateOnStart();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// <c>/healthz</c> (the process answers) and <c>/readyz</c> (the database does: 503 Unhealthy otherwise; the outbox
    /// delivers: 200 Degraded otherwise, since sign-in still works and a load balancer should keep sending traffic);
    /// once started, one log line says where.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    private static void LogStarted(WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var hashing = app.Services.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var issuer = server.Issuer?.ToString() ?? addresses.FirstOrDefault() ?? "(request URL)";
        LogIssuer(app.Logger, issuer, string.Join(", ", addresses));
        if (hashing.Iterations < PasswordHashingOptions.RecommendedIterations)
        {
            LogWeakHashing(app.Logger, hashing.Iterations, PasswordHashingOptions.RecommendedIterations);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "IdentityHub is ready. Issuer: {Issuer} (discovery at /.well-known/openid-configuration); listening on {Addresses}")]
    private static partial void LogIssuer(ILogger logger, string issuer, string addresses);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Password hashing uses {Iterations} PBKDF2 iterations, below the recommended {Recommended}")]
    private static partial void LogWeakHashing(ILogger logger, int iterations, int recommended);
}
