using System.Reflection;
using System.Text.Json;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>A Development host with one wrong setting over the fixture's.</summary>
public sealed class BadSettingHost(Action<Dictionary<string, object?>> wrong) : HubApplication
{
    protected override void Configure(Dictionary<string, object?> settings) => wrong(settings);
}

/// <summary>Every settings section is bound and checked when the host starts: a wrong value stops it, naming the key.</summary>
public sealed class SettingsValidationTests
{
    public static TheoryData<string, string[]> WrongSettings => new()
    {
        // Checked by data annotations, nested objects included: the message names the section's class and the member.
        { "Mail:Smtp:Port = 70000", ["MailOptions.Smtp", "'Port'", "between 1 and 65535"] },
        { "RateLimiting:PermitLimit = 0", ["RateLimitingOptions", "'PermitLimit'"] },
        // Values that do not convert fail in the binder, which names the configuration key.
        { "Mail:Smtp:Security = Sometimes", ["IdentityHub:Mail:Smtp:Security", "SecureSocketOptions"] },
        { "Lockout:DefaultLockoutTimeSpan = soon", ["IdentityHub:Lockout:DefaultLockoutTimeSpan", "TimeSpan"] },
        // Rules that span fields or entries: the seed's validator names the entry's key.
        { "Seed:Tenants:0:PasswordPolicy:Preset = lax", ["IdentityHub:Seed:Tenants:0:PasswordPolicy", "'lax'"] },
        // The database: PostgreSQL needs a connection string Npgsql reads (the message names the key, never the value).
        { "Database:Provider = PostgreSQL, no ConnectionString", ["IdentityHub:Database:ConnectionString is required"] },
        { "Database:ConnectionString = not-a-connection-string", ["IdentityHub:Database:ConnectionString is not a valid"] },
        { "Database:Provider = Oracle", ["IdentityHub:Database:Provider", "DatabaseProvider"] },
        { "Seed:Clients:0:BackchannelLogoutUri = relative", ["IdentityHub:Seed:Clients:0:BackchannelLogoutUri", "not an absolute http(s) URI"] },
        { "BackchannelLogout:Timeout = 2 minutes", ["BackchannelLogoutOptions", "'Timeout'"] },
    };

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public void WrongSetting_StopsTheHostAtStart_NamingTheKey(string setting, string[] expected)
    {
        // Arrange
        using var host = new BadSettingHost(settings => Apply(settings, setting));

        // Act
        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        // Assert
        var reported = Flatten(error).FirstOrDefault(e => e is OptionsValidationException or InvalidOperationException && expected.All(e.Message.Contains));
        Assert.True(reported is not null, $"no OptionsValidationException or InvalidOperationException names {string.Join(", ", expected)}:\n{error}");
    }

    [Fact]
    public void ExampleSettings_DocumentEveryKeyOfEveryOptionsClass()
    {
        // Arrange: every public *Options class of the host and the core, and the section it is bound from.
        var sections = new Dictionary<Type, string>
        {
            [typeof(ServerOptions)] = "Server",
            [typeof(IdentityHub.Web.Connect.KeyOptions)] = "Keys",
            [typeof(IdentityHub.Persistence.DatabaseOptions)] = "Database",
            [typeof(IdentityHub.Passwords.PasswordHashingOptions)] = "Passwords:Hashing",
            [typeof(IdentityHub.Notifications.MailOptions)] = "Mail",
            [typeof(IdentityHub.StepUp.StepUpOptions)] = "StepUp",
            [typeof(IdentityHub.Sessions.SessionLifetimeOptions)] = "Sessions",
            [typeof(IdentityHub.Accounts.LockoutPolicyOptions)] = "Lockout",
            [typeof(IdentityHub.Throttling.ThrottlingOptions)] = "Throttling",
            [typeof(IdentityHub.Web.Api.RateLimitingOptions)] = "RateLimiting",
            [typeof(IdentityHub.Web.Seeding.SeedOptions)] = "Seed",
            [typeof(IdentityHub.Web.Hosting.TelemetryOptions)] = "Telemetry",
            [typeof(IdentityHub.Web.Hosting.ReadinessOptions)] = "Readiness",
            [typeof(IdentityHub.Web.Hosting.ProxyOptions)] = "Proxy",
            [typeof(IdentityHub.Housekeeping.HousekeepingOptions)] = "Housekeeping",
            [typeof(IdentityHub.Throttling.RedisOptions)] = "Redis",
            [typeof(IdentityHub.PasswordResets.PasswordResetOptions)] = "PasswordResets",
            [typeof(IdentityHub.EmailVerification.EmailVerificationOptions)] = "EmailVerification",
            [typeof(IdentityHub.Invitations.InvitationOptions)] = "Invitations",
            [typeof(IdentityHub.BackchannelLogout.BackchannelLogoutOptions)] = "BackchannelLogout",
            [typeof(IdentityHub.SharedSignals.SharedSignalsOptions)] = "SharedSignals",
        };
        // Nested in a section above (Mail:Smtp, Seed:Tenants:N:PasswordPolicy).
        Type[] nested = [typeof(IdentityHub.Notifications.SmtpOptions), typeof(IdentityHub.Passwords.PasswordPolicyOptions)];
        var optionsClasses = new[] { typeof(ServerOptions).Assembly, typeof(IdentityHub.Notifications.MailOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.IsClass && !type.IsAbstract && type.Name.EndsWith("Options", StringComparison.Ordinal) && type.Namespace!.StartsWith("IdentityHub", StringComparison.Ordinal));
        using var example = JsonDocument.Parse(File.ReadAllText(FindExampleSettings()), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var root = example.RootElement.GetProperty("IdentityHub");

        // Act
        var missing = new List<string>();
        foreach (var (type, section) in sections)
        {
            var element = section.Split(':').Aggregate((JsonElement?)root, (e, name) => e is { } found && found.TryGetProperty(name, out var child) ? child : null);
            FindMissing(type, element, $"IdentityHub:{section}", missing);
        }

        // Assert
        Assert.Empty(optionsClasses.Except(sections.Keys).Except(nested));
        Assert.Empty(missing);
    }

    private static void Apply(Dictionary<string, object?> settings, string setting)
    {
        switch (setting)
        {
            case "Database:Provider = PostgreSQL, no ConnectionString":
                settings["Database"] = new { Provider = "PostgreSQL" };
                break;
            case "Database:ConnectionString = not-a-connection-string":
                settings["Database"] = new { Provider = "PostgreSQL", ConnectionString = "not-a-connection-string" };
                break;
            case "Database:Provider = Oracle":
                settings["Database"] = new { Provider = "Oracle" };
                break;
            case "Mail:Smtp:Port = 70000":
                settings["Mail"] = new { Smtp = new { Port = 70000 } };
                break;
            case "RateLimiting:PermitLimit = 0":
                settings["RateLimiting"] = new { PermitLimit = 0 };
                break;
            case "Mail:Smtp:Security = Sometimes":
                settings["Mail"] = new { Smtp = new { Security = "Sometimes" } };
                break;
            case "Seed:Clients:0:BackchannelLogoutUri = relative":
                settings["Seed"] = new { Clients = new[] { new { ClientId = "rp", BackchannelLogoutUri = "/logout" } } };
                break;
            case "BackchannelLogout:Timeout = 2 minutes":
                settings["BackchannelLogout"] = new { Timeout = "00:02:00" };
                break;
            case "Lockout:DefaultLockoutTimeSpan = soon":
                settings["Lockout"] = new { DefaultLockoutTimeSpan = "soon" };
                break;
            default:
                settings["Seed"] = new { Tenants = new[] { new { Id = TestData.TenantA, Name = "Acme", PasswordPolicy = new { Preset = "lax" } } } };
                break;
        }
    }

    internal static IEnumerable<Exception> Flatten(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Each settable property of <paramref name="type"/> must appear under <paramref name="element"/>; lists by their first entry.</summary>
    private static void FindMissing(Type type, JsonElement? element, string key, List<string> missing)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var propertyKey = $"{key}:{property.Name}";
            if (element is not { ValueKind: JsonValueKind.Object } found || !found.TryGetProperty(property.Name, out var value))
            {
                missing.Add(propertyKey);
                continue;
            }
            var itemType = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>)
                ? property.PropertyType.GetGenericArguments()[0]
                : null;
            if (itemType?.Namespace?.StartsWith("IdentityHub", StringComparison.Ordinal) == true)
            {
                FindMissing(itemType, value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 ? value[0] : null, propertyKey + ":0", missing);
            }
            else if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("IdentityHub", StringComparison.Ordinal) == true)
            {
                FindMissing(property.PropertyType, value, propertyKey, missing);
            }
        }
    }

    private static string FindExampleSettings()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "appsettings.example.json")))
        {
            root = Path.GetDirectoryName(root) ?? throw new FileNotFoundException("appsettings.example.json not found above the test binaries");
        }
        return Path.Combine(root, "appsettings.example.json");
    }
}
