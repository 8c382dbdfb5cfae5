using System.Text.Json;
using IdentityHub.Accounts;
using IdentityHub.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// The real host on a real 127.0.0.1 port (Kestrel), with its own SQLite file and a fixture supplied the way an
/// operator would supply one: an extra JSON settings file named by <c>IdentityHub:SettingsFile</c>.
/// </summary>
public class HubApplication : WebApplicationFactory<Program>
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "identityhub-tests", Guid.NewGuid().ToString("N"));
    private Uri? address;

    public HubApplication()
    {
        System.IO.Directory.CreateDirectory(directory);
        UseKestrel(0);
    }

    public ShiftableClock Clock { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public string DatabasePath => Path.Combine(directory, "identityhub.db");

    public string Directory => directory;

    private const string HostStartFailure = "Hosting failed to start";

    /// <summary>The address of the running server, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address
    {
        get
        {
            if (address is null)
            {
                try
                {
                    StartServer();
                    var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
                    address = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1") + "/");
                }
                catch (ObjectDisposedException disposed) when (Logs.Lines.FirstOrDefault(l => l.Contains(HostStartFailure, StringComparison.Ordinal)) is { } failure)
                {
                    // A host that fails to start is disposed by its entry point; the factory sometimes reaches for its
                    // services first and reports that instead of the failure (dotnet/aspnetcore#33494). The host's own
                    // report of the failure, as an operator reads it in the log, is the error then.
                    throw new InvalidOperationException(failure, disposed);
                }
            }
            return address;
        }
    }

    /// <summary>
    /// The environment the host runs in. Development, because only Development accepts what the suite needs (plain
    /// HTTP on 127.0.0.1, generated keys, cheap hashing); appsettings.Development.json itself is left out below, so its
    /// seed does not mix with the fixture's.
    /// </summary>
    protected virtual string EnvironmentName => "Development";

    /// <summary>Fixture settings, merged over <see cref="DefaultSettings"/>; override to change a few.</summary>
    protected virtual void Configure(Dictionary<string, object?> settings)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = DefaultSettings();
        Configure(settings);
        var file = Path.Combine(directory, "fixture.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, object?> { ["IdentityHub"] = settings }));

        builder.UseEnvironment(EnvironmentName);
        // As strict as Development: a scoped service resolved from the root provider fails the test, not production.
        builder.UseDefaultServiceProvider(options =>
        {
            options.ValidateScopes = true;
            options.ValidateOnBuild = true;
        });
        builder.UseSetting("IdentityHub:SettingsFile", file);
        builder.ConfigureAppConfiguration((context, configuration) =>
        {
            foreach (var source in configuration.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>()
                         .Where(s => s.Path == $"appsettings.{context.HostingEnvironment.EnvironmentName}.json").ToList())
            {
                configuration.Sources.Remove(source);
            }
        });
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    protected virtual Dictionary<string, object?> DefaultSettings() => new()
    {
        ["Database"] = TestDatabase.Settings(DatabasePath),
        ["Server"] = new { AllowInsecureHttp = true },
        ["Keys"] = new { UseDevelopmentKeys = true, DevelopmentKeysPath = Path.Combine(directory, "keys.json") },
        // Cheap hashing keeps the suite fast on two cores; production keeps the 210,000 default. At 1,000 iterations a
        // hash takes about a millisecond, so the gate is opened wide: only the gate's own tests close it.
        ["Passwords"] = new { Hashing = new { Iterations = 1000, MaxConcurrent = 16, QueueLimit = 64 } },
        ["RateLimiting"] = new { PermitLimit = 1000, Window = "00:01:00" },
        // Every test runs from 127.0.0.1: throttling is lifted except in its own tests, and the lockout tests written
        // for "5 failures lock the account" keep that (production: 5 per IP, 20 account-wide).
        ["Throttling"] = new { FailuresPerIpPerMinute = 100_000, FailuresPerAccountPerMinute = 100_000 },
        ["Lockout"] = new { MaxFailedAccessAttempts = 5, MaxFailedAccessAttemptsPerIp = 5 },
        ["Mail"] = new { PickupDirectory = Path.Combine(directory, "mail"), RetryBaseDelay = "00:00:00.200", PollInterval = "00:00:00.200" },
        ["Seed"] = new
        {
            Tenants = new object[]
            {
                new
                {
                    Id = TestData.TenantA, Name = "Acme", DefaultLocale = "en",
                    PasswordPolicy = new { Preset = "strict" },
                    Users = new object[]
                    {
                        new { Email = "alice@acme.test", Password = TestData.StrongPassword, DisplayName = "Alice" },
                        new { Email = "sso-only@acme.test", DisplayName = "Sso Only" },
                    },
                },
                new
                {
                    Id = TestData.TenantB, Name = "Globex", DefaultLocale = "fr",
                    PasswordPolicy = new { Preset = "strict" },
                    Users = new object[] { new { Email = "alice@acme.test", Password = TestData.OtherStrongPassword } },
                },
            },
            Clients = new object[]
            {
                new
                {
                    ClientId = TestData.SpaClient, GrantTypes = new[] { "authorization_code", "refresh_token" }, StepUp = true,
                    RedirectUris = new[] { TestData.SpaRedirectUri }, PostLogoutRedirectUris = new[] { "http://127.0.0.1/" },
                    Scopes = new[] { "openid", "profile", "email", "offline_access", "account" },
                },
                new
                {
                    ClientId = TestData.BoundSpaClient, TenantId = TestData.TenantA, GrantTypes = new[] { "authorization_code", "refresh_token" }, StepUp = true,
                    RedirectUris = new[] { TestData.SpaRedirectUri }, Scopes = new[] { "openid", "offline_access", "account" },
                },
                new
                {
                    ClientId = TestData.NoStepUpClient, ClientSecret = TestData.CliSecret, TenantId = TestData.TenantA,
                    GrantTypes = new[] { "password" }, Scopes = new[] { "openid", "account" },
                },
                new
                {
                    ClientId = TestData.CliClient, ClientSecret = TestData.CliSecret, TenantId = TestData.TenantA,
                    GrantTypes = new[] { "password", "refresh_token", "client_credentials" }, StepUp = true,
                    Scopes = new[] { "openid", "profile", "email", "offline_access", "account" },
                },
                new
                {
                    ClientId = TestData.TenantBClient, ClientSecret = TestData.TenantBSecret, TenantId = TestData.TenantB,
                    GrantTypes = new[] { "password", "refresh_token" }, StepUp = true,
                    Scopes = new[] { "openid", "offline_access", "account" },
                },
            },
        },
    };

    /// <summary>
    /// A test seam: wraps the host's real password hasher (as registered, with its options and hash gate) in
    /// <paramref name="wrap"/>, for a hasher that counts or fails on demand.
    /// </summary>
    protected static void WrapPasswordHasher(IWebHostBuilder builder, Func<IPasswordHasher<HubUser>, IPasswordHasher<HubUser>> wrap) =>
        builder.ConfigureTestServices(services =>
        {
            var real = services.Single(d => d.ServiceType == typeof(IPasswordHasher<HubUser>));
            services.Remove(real);
            services.AddSingleton(provider => wrap((IPasswordHasher<HubUser>)ActivatorUtilities.CreateInstance(provider, real.ImplementationType!)));
        });

    /// <summary>
    /// An HTTP client on the real socket; no automatic redirects, its own cookie jar. With <paramref name="from"/> (a
    /// loopback address, see <see cref="Loopback"/>) its connections leave from that address, so the server sees
    /// another client IP.
    /// </summary>
    public virtual HttpClient CreateBrowserlessClient(System.Net.CookieContainer? cookies = null, System.Net.IPAddress? from = null)
    {
        if (from is null)
        {
            return new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new System.Net.CookieContainer(), UseCookies = true })
            {
                BaseAddress = Address,
            };
        }
        return new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new System.Net.CookieContainer(),
            UseCookies = true,
            ConnectCallback = (context, cancellationToken) => Loopback.ConnectFromAsync(from, context.DnsEndPoint, cancellationToken),
        })
        {
            BaseAddress = Address,
        };
    }

    /// <summary>Creates a fresh user through Identity (a real row in the real database) and returns its email.</summary>
    public async Task<(Guid Id, string Email)> CreateUserAsync(Guid tenantId, string? password = TestData.StrongPassword, string? domain = null, bool emailVerified = true)
    {
        _ = Address;
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        var email = $"u{Guid.NewGuid():N}"[..13] + "@" + (domain ?? "acme.test");
        var user = new HubUser
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            UserName = HubUser.ComposeUserName(tenantId, email),
            Email = email,
            EmailConfirmed = emailVerified,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Code)));
        if (password is not null)
        {
            var history = scope.ServiceProvider.GetRequiredService<IdentityHub.Passwords.PasswordHistory>();
            await history.AddAsync(user.Id, history.Fingerprint(user.Id, password), DateTime.UtcNow);
            await scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>().SaveChangesAsync();
        }
        return (user.Id, email);
    }

    /// <summary>Runs a query against the real database in a fresh scope.</summary>
    public async Task<T> QueryAsync<T>(Func<IdentityHubDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IdentityHubDbContext>());
    }

    /// <summary>Runs code with the host's services in a fresh scope.</summary>
    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            TestDatabase.ReleaseConnections(DatabasePath);
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
