using IdentityHub.Passwords;

namespace IdentityHub.Web.Hosting;

/// <summary>Where the host's settings come from, and which of them it refuses outside Development.</summary>
internal static class SettingsExtensions
{
    /// <summary>
    /// Adds the extra settings file named by <c>IdentityHub:SettingsFile</c> (a fixture, an operator's overrides) and
    /// refuses, outside Development, settings that are only safe on a developer's machine.
    /// </summary>
    public static WebApplicationBuilder AddHubSettings(this WebApplicationBuilder builder, string[] args)
    {
        builder.AddSettingsFile(args);
        RefuseUnsafeSettings(builder.Environment, builder.Configuration);
        return builder;
    }

    /// <summary>Adds the extra settings file named by <c>IdentityHub:SettingsFile</c>, if any (the <c>migrate</c> command reads it too).</summary>
    public static WebApplicationBuilder AddSettingsFile(this WebApplicationBuilder builder, string[] args)
    {
        // The extra file sits above appsettings but below environment variables and the command line, which are
        // re-added so they keep the last word.
        if (builder.Configuration["IdentityHub:SettingsFile"] is { Length: > 0 } settingsFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(settingsFile, builder.Environment.ContentRootPath), optional: false);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }
        return builder;
    }

    /// <summary>
    /// Outside Development (any environment name but <c>Development</c>: Production, Staging, a container's default),
    /// the host refuses to start with settings that are only safe on a developer's machine. Each message names the key.
    /// This runs before any service is registered, so development keys are never even created there.
    /// </summary>
    private static void RefuseUnsafeSettings(IHostEnvironment environment, IConfiguration configuration)
    {
        if (environment.IsDevelopment())
        {
            return;
        }
        var name = environment.EnvironmentName;
        if (configuration.GetValue<bool>("IdentityHub:Keys:UseDevelopmentKeys"))
        {
            throw new InvalidOperationException(
                $"IdentityHub refuses to start in {name} with development keys: set IdentityHub:Keys:UseDevelopmentKeys=false " +
                "and configure IdentityHub:Keys:Signing and IdentityHub:Keys:Encryption (or SigningKeyPem and EncryptionKey).");
        }
        var server = configuration.GetSection("IdentityHub:Server").Get<ServerOptions>() ?? new ServerOptions();
        if (server.AllowInsecureHttp || server.Issuer is not { Scheme: "https" })
        {
            // The issuer is also where email links and the step-up token's iss come from: it must be configured, so that
            // nothing is ever derived from a request's Host header.
            throw new InvalidOperationException(
                $"IdentityHub refuses to start in {name} over plain HTTP or without an https:// issuer: set IdentityHub:Server:Issuer to the public https URL " +
                "and remove IdentityHub:Server:AllowInsecureHttp.");
        }
        var iterations = configuration.GetValue("IdentityHub:Passwords:Hashing:Iterations", PasswordHashingOptions.RecommendedIterations);
        if (iterations < PasswordHashingOptions.MinimumIterations)
        {
            throw new InvalidOperationException(
                $"IdentityHub refuses to start in {name} with {iterations} password hash iterations: IdentityHub:Passwords:Hashing:Iterations " +
                $"must be at least {PasswordHashingOptions.MinimumIterations:N0} (default {PasswordHashingOptions.RecommendedIterations:N0}).");
        }
    }
}
