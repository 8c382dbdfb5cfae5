using IdentityHub.Passwords;
using IdentityHub.Persistence;
using IdentityHub.Web.Api;
using IdentityHub.StepUp;
using IdentityHub.Web.Api.Admin;
using IdentityHub.Web.Api.Envelope;
using IdentityHub.Web.Api.StepUp;
using IdentityHub.Web.Api.V1;
using Microsoft.IdentityModel.Tokens;
using IdentityHub.Web.Connect;
using IdentityHub.Web.Seeding;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Server.AspNetCore;
using Scalar.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Hosting;

/// <summary>The composition root of the host, so that Program.cs reads as a table of contents.</summary>
internal static partial class IdentityHubHostingExtensions
{
    /// <summary>Built-in scopes; more come from <c>IdentityHub:Seed:Scopes</c>.</summary>
    private static readonly string[] BuiltInScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, HubClaims.AccountScope, PolicyEvaluationEndpoints.AdminScope];

    public static WebApplicationBuilder AddIdentityHub(this WebApplicationBuilder builder, string[] args)
    {
        // An extra settings file (a fixture, an operator's overrides) sits above appsettings but below
        // environment variables and the command line, which are re-added so they keep the last word.
        if (builder.Configuration["IdentityHub:SettingsFile"] is { Length: > 0 } settingsFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(settingsFile, builder.Environment.ContentRootPath), optional: false);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }

        var configuration = builder.Configuration;
        var services = builder.Services;
        var server = configuration.GetSection("IdentityHub:Server").Get<ServerOptions>() ?? new ServerOptions();
        var keyOptions = configuration.GetSection("IdentityHub:Keys").Get<KeyOptions>() ?? new KeyOptions();
        RefuseUnsafeSettings(builder.Environment, configuration, server, keyOptions);
        var keys = TokenKeys.Load(keyOptions, builder.Environment.ContentRootPath);

        // The first hosted service: it applies the migrations, which every other one (the outbox sender, Data
        // Protection loading its key ring from the database) expects to find done. Hosted services start in order.
        services.AddHostedService<SeedWorker>();
        services.AddOptions<ServerOptions>().Bind(configuration.GetSection("IdentityHub:Server")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SeedOptions>().Bind(configuration.GetSection("IdentityHub:Seed"));
        services.AddIdentityHubCore(configuration, builder.Environment.ContentRootPath);
        services.AddIdentityHubEmailTemplates();

        var seededScopes = configuration.GetSection("IdentityHub:Seed:Scopes").Get<string[]>() ?? [];
        services.AddOpenIddict()
            .AddCore(options => options.ReplaceApplicationManager(typeof(CachingApplicationManager<>)))
            .AddServer(options =>
            {
                options.AddEventHandler(SkipClientCredentialsTokenEntries.Descriptor);
                options.AddEventHandler(RejectTokensOfEndedSessions.Descriptor);
                if (server.Issuer is not null)
                {
                    options.SetIssuer(server.Issuer);
                }
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");

                // Which grant a given client may use is decided per client by its permissions (seeding): the
                // password grant in particular only works for clients configured with it.
                options.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .AllowPasswordFlow()
                    .AllowTokenExchangeFlow()
                    .AllowCustomFlow(StepUpGrant.GrantType);
                // Token exchange issues exactly one kind of token here: a step-up token for the subject access token.
                options.Configure(server =>
                {
                    server.SubjectTokenTypes.Clear();
                    server.SubjectTokenTypes.Add(TokenTypeIdentifiers.AccessToken);
                    server.ActorTokenTypes.Clear();
                    server.RequestedTokenTypes.Clear();
                    server.RequestedTokenTypes.Add(StepUpGrant.IssuedTokenType);
                    server.DefaultRequestedTokenType = StepUpGrant.IssuedTokenType;
                });

                options.RegisterScopes([.. BuiltInScopes, .. seededScopes]);
                options.RegisterResources([.. HubClaims.AllResources(server)]);
                options.RegisterClaims(HubClaims.TenantId, HubClaims.SessionId);

                options.SetAccessTokenLifetime(server.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(server.IdentityTokenLifetime)
                    .SetAuthorizationCodeLifetime(server.AuthorizationCodeLifetime)
                    .SetRefreshTokenLifetime(server.RefreshTokenLifetime)
                    .SetRefreshTokenReuseLeeway(server.RefreshTokenReuseLeeway);

                options.AddSigningKey(keys.SigningKey).AddEncryptionKey(keys.EncryptionKey);
                // Access tokens are signed, not encrypted, so any resource server can validate them from the JWKS.
                options.DisableAccessTokenEncryption();

                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
                if (server.AllowInsecureHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
                // Revoked tokens and authorizations (a password change revokes them) are refused at once.
                options.EnableTokenEntryValidation();
                options.EnableAuthorizationEntryValidation();
            });

        // The keys that protect the session and antiforgery cookies live in the database, so a restart (or a second
        // instance on the same database) still reads the cookies it issued, and forms posted across it still pass.
        services.AddDataProtection().PersistKeysToDbContext<IdentityHubDbContext>().SetApplicationName("IdentityHub");

        // Served over https (AllowInsecureHttp off, as Production requires), our cookies are Secure-only and named
        // with the __Host- prefix, which a browser accepts only from https, with Path=/ and without Domain: neither a
        // sibling subdomain nor a plain-http page can plant or overwrite them. Development and the tests serve plain
        // http, where a browser would drop a __Host- cookie, so there they keep unprefixed names and are Secure
        // whenever the request itself is https.
        var cookiePrefix = server.AllowInsecureHttp ? "." : "__Host-";
        var cookieSecurity = server.AllowInsecureHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = cookiePrefix + "IdentityHub.Antiforgery";
            options.Cookie.Path = "/";
            options.Cookie.SecurePolicy = cookieSecurity;
        });
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));

        services.AddAuthentication(SessionCookie.Scheme)
            .AddCookie(SessionCookie.Scheme, options =>
            {
                options.Cookie.Name = cookiePrefix + "IdentityHub.Session";
                options.Cookie.Path = "/";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = cookieSecurity;
                options.LoginPath = SessionCookie.LoginPath;
                options.ExpireTimeSpan = server.SessionCookieLifetime;
                options.SlidingExpiration = false;
                options.Events = new CookieAuthenticationEvents { OnValidatePrincipal = SessionCookieValidator.ValidateAsync };
            });
        services.AddAuthorization();

        services.AddSingleton(new StepUpSigningKey(keys.SigningKey, SecurityAlgorithms.EcdsaSha256));
        services.AddScoped<AccessTokenAuthenticator>();
        services.AddAccountApiRateLimiting(configuration);
        services.AddRazorPages();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "IdentityHub account API";
            document.Info.Description = "Change-password API in three dialects (seeds 000, 002, 004).";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UseIdentityHub(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledErrorAsync });
        if (!app.Environment.IsDevelopment())
        {
            // Strict-Transport-Security on https responses (never on http ones, nor for localhost): once a browser
            // has seen it, it will not talk plain http to this host for a year. Development is left out so that
            // a browser does not pin localhost to https.
            app.UseHsts();
        }
        app.UseStatusCodePages(WriteStatusPageAsync);
        app.UseStaticFiles();
        app.UseRequestLocalization(options =>
        {
            options.SetDefaultCulture("en").AddSupportedCultures(PageCultures.Codes).AddSupportedUICultures(PageCultures.Codes);
            options.FallBackToParentCultures = options.FallBackToParentUICultures = true;
            // The switcher's cookie first, then the browser's Accept-Language.
            options.RequestCultureProviders =
            [
                // Both pass on predefined cultures only, and Accept-Language only its first few entries (the same
                // handful the email's language considers); see PredefinedCultureProviders.cs.
                new PredefinedCookieCultureProvider { CookieName = PageCultures.CookieName },
                new PredefinedAcceptLanguageCultureProvider(),
            ];
        });
        app.UseRouting();
        app.UseUnreadableFormRefusal();
        app.UseEarlyPasswordRefusal();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAccountApiCallers();
        app.UseRateLimiter();

        app.MapConnectEndpoints();
        app.MapAccountApi();
        app.MapRazorPages();
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    /// <summary>
    /// Unknown failures answer in the shape of the dialect that was called (no stack trace, no secret); pages and
    /// OAuth endpoints get a plain 500.
    /// </summary>
    private static async Task WriteUnhandledErrorAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        var dialect = feature?.Endpoint?.Metadata.GetMetadata<AccountApiDialect>();
        if (FindBusy(feature?.Error) is { } busy)
        {
            // The hash gate refused a hash that no service turned into an answer of its own: still a 503 with
            // Retry-After in the endpoint's shape, never a 500.
            await WriteBusyAsync(context, dialect, busy);
            return;
        }
        if (dialect is not null)
        {
            // A database failure is reported as such wherever it surfaced (token validation, a session lookup, the
            // change itself); only what is truly unknown is an internal error.
            var code = IsDatabaseFailure(feature?.Error) ? IdentityHub.Errors.HubErrorCode.DatabaseFailure : IdentityHub.Errors.HubErrorCode.Internal;
            await dialect.ToResult([new IdentityHub.Errors.HubError(code)]).ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("An internal error occurred.");
    }

    private static async Task WriteBusyAsync(HttpContext context, AccountApiDialect? dialect, PasswordHashingBusyException busy)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds));
        if (dialect is not null)
        {
            await dialect.ToResult([new IdentityHub.Errors.HubError(IdentityHub.Errors.HubErrorCode.ServiceBusy) { RetryAfterSeconds = seconds }]).ExecuteAsync(context);
        }
        else if (context.Request.Path.StartsWithSegments("/connect"))
        {
            await OAuthErrors.TryLater(StatusCodes.Status503ServiceUnavailable, seconds, "The server is busy. Try again after the Retry-After delay.").ExecuteAsync(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("The server is busy. Try again in a few seconds.");
        }
    }

    private static PasswordHashingBusyException? FindBusy(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PasswordHashingBusyException busy)
            {
                return busy;
            }
        }
        return null;
    }

    private static bool IsDatabaseFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Protocol errors OpenIddict cannot send back to a client (unknown client, unregistered redirect URI, missing
    /// PKCE) are shown to the person in the browser with the OAuth error and its description.
    /// </summary>
    private static async Task WriteStatusPageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var error = http.GetOpenIddictServerResponse();
        http.Response.ContentType = "text/html; charset=utf-8";
        var title = error?.Error is { } code ? $"Sign-in error: {code}" : $"Error {http.Response.StatusCode}";
        var description = error?.ErrorDescription ?? ReasonPhrases.GetReasonPhrase(http.Response.StatusCode);
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{HtmlEncoder.Default.Encode(title)}</title>" +
            "<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main class=\"card\">" +
            $"<h1>{HtmlEncoder.Default.Encode(title)}</h1><p role=\"alert\">{HtmlEncoder.Default.Encode(description)}</p></main></body></html>");
    }

    /// <summary>
    /// Outside Development (any environment name but <c>Development</c>: Production, Staging, a container's default),
    /// the host refuses to start with settings that are only safe on a developer's machine. Each message names the key.
    /// </summary>
    private static void RefuseUnsafeSettings(IWebHostEnvironment environment, IConfiguration configuration, ServerOptions server, KeyOptions keys)
    {
        if (environment.IsDevelopment())
        {
            return;
        }
        var name = environment.EnvironmentName;
        if (keys.UseDevelopmentKeys)
        {
            throw new InvalidOperationException(
                $"IdentityHub refuses to start in {name} with development keys: set IdentityHub:Keys:UseDevelopmentKeys=false " +
                "and configure IdentityHub:Keys:SigningKeyPem and IdentityHub:Keys:EncryptionKey.");
        }
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

    private static void LogStarted(WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var hashing = app.Services.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
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
