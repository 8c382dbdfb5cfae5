using System.Text.Json;
using IdentityHub.BackchannelLogout;
using IdentityHub.Errors;
using IdentityHub.Tenancy;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// One set of rules for every way a client is written (the seed at start, the admin API and command line per request):
/// what a <see cref="ClientDefinition"/> may hold (<see cref="Check"/>), how OpenIddict stores it (<see cref="Describe"/>:
/// permissions, requirements and our properties) and how it reads back (<see cref="Read"/>).
/// </summary>
internal sealed class ClientRules(IOptions<ServerOptions> server, IConfiguration configuration, IHostEnvironment environment)
{
    private readonly Lazy<HashSet<string>> registeredScopes = new(() => [.. AuthorizationServerExtensions.RegisteredScopes(configuration)]);

    /// <summary>The grant types a client may be given (the step-up grant and token exchange come with <see cref="ClientDefinition.StepUp"/>).</summary>
    public static readonly IReadOnlyList<string> KnownGrantTypes =
        [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials, GrantTypes.Password];

    public const int MaxClientIdLength = 100;

    /// <summary>
    /// Every problem of <paramref name="client"/>, each naming its field and reason, with the offending entry's
    /// <c>index</c> and <c>value</c> in <see cref="HubError.Context"/>: <c>required</c>, <c>too_long</c>,
    /// <c>invalid_characters</c>, <c>unknown_grant_type</c>, <c>needs_secret</c> (client credentials for a public
    /// client), <c>not_absolute_uri</c>, <c>has_fragment</c>, <c>not_exact_origin</c>, <c>unknown_scope</c> (a scope
    /// the server does not register). Empty when it may be stored.
    /// </summary>
    public IReadOnlyList<HubError> Check(ClientDefinition client)
    {
        var errors = new List<HubError>();
        if (string.IsNullOrWhiteSpace(client.ClientId))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.ClientId, ["required"]));
        }
        else if (client.ClientId.Length > MaxClientIdLength)
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.ClientId, ["too_long"]));
        }
        else if (client.ClientId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.ClientId, ["invalid_characters"]));
        }
        Entries(client.GrantTypes, HubField.GrantTypes, grant => KnownGrantTypes.Contains(grant) ? null : "unknown_grant_type", errors);
        if (client.IsPublic && client.GrantTypes.Contains(GrantTypes.ClientCredentials))
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.GrantTypes, ["needs_secret"]));
        }
        Entries(client.RedirectUris, HubField.RedirectUris, UriProblem, errors);
        Entries(client.PostLogoutRedirectUris, HubField.PostLogoutRedirectUris, UriProblem, errors);
        Entries(client.AllowedOrigins, HubField.AllowedOrigins, origin => ClientOrigins.IsExactOrigin(origin) ? null : "not_exact_origin", errors);
        if (client.BackchannelLogoutUri is { } logoutUri && ReceiverUriProblem(logoutUri, environment) is { } logoutProblem)
        {
            errors.Add(new HubError(HubErrorCode.InvalidRequest, HubField.BackchannelLogoutUri, [logoutProblem])
            {
                Context = new Dictionary<string, object?> { ["value"] = logoutUri, ["environment"] = environment.EnvironmentName },
            });
        }
        var scopes = registeredScopes.Value;
        Entries(client.Scopes, HubField.Scopes, scope => scopes.Contains(scope) ? null : "unknown_scope", errors);
        return errors;
    }

    /// <summary>A problem as one line of text, for the seed's start-up failure and the command line.</summary>
    public static string Describe(HubError error) => error.Rules.FirstOrDefault() switch
    {
        "not_absolute_uri" => $"'{Value(error)}' is not an absolute URI.",
        "has_fragment" => $"'{Value(error)}' has a fragment (#...), which a redirect URI may not have.",
        "not_exact_origin" => $"'{Value(error)}' is not an exact origin (scheme://host[:port] in lower case, no path, wildcard or null).",
        "unknown_grant_type" => $"'{Value(error)}' is not a grant type a client may have ({string.Join(", ", KnownGrantTypes)}).",
        "unknown_scope" => $"'{Value(error)}' is not a scope this server registers (built-in ones, IdentityHub:Seed:Scopes, IdentityHub:Server:ScopeClaims).",
        "needs_secret" => "client_credentials needs a confidential client (one with a secret).",
        "not_http_uri" => $"'{Value(error)}' is not an absolute http(s) URI without a fragment or user info.",
        "https_required" => $"'{Value(error)}' must use https outside Development (the environment is {error.Context?.GetValueOrDefault("environment")}).",
        var reason => reason ?? error.Code.ToString(),
    };

    /// <summary>The client as OpenIddict stores it, without its secret.</summary>
    public OpenIddictApplicationDescriptor Describe(ClientDefinition client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientType = client.IsPublic ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.DisplayName ?? client.ClientId,
            ConsentType = client.RequireConsent ? ConsentTypes.Explicit : ConsentTypes.Implicit,
        };
        descriptor.RedirectUris.UnionWith(client.RedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
        AddPermissions(descriptor, client);
        if (client.RequirePkce ?? client.IsPublic)
        {
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        if (client.TenantId is { } tenantId)
        {
            descriptor.Properties[ClientTenancy.PropertyName] = JsonSerializer.SerializeToElement(tenantId.ToString());
        }
        if (client.Admin)
        {
            // A custom application property (see AdminClient for why not a permission). The descriptor replaces the
            // stored properties on update, so a client no longer configured as Admin loses the flag.
            descriptor.Properties[AdminClient.PropertyName] = JsonSerializer.SerializeToElement(true);
        }
        if (client.AllowedOrigins.Count > 0)
        {
            descriptor.Properties[ClientOrigins.PropertyName] = JsonSerializer.SerializeToElement(client.AllowedOrigins.Distinct(StringComparer.Ordinal));
        }
        if (!string.IsNullOrEmpty(client.BackchannelLogoutUri))
        {
            descriptor.Properties[BackchannelLogoutRegistration.UriProperty] = JsonSerializer.SerializeToElement(client.BackchannelLogoutUri);
            descriptor.Properties[BackchannelLogoutRegistration.SessionRequiredProperty] = JsonSerializer.SerializeToElement(client.BackchannelLogoutSessionRequired);
        }
        return descriptor;
    }

    /// <summary>The definition a stored client has (what <see cref="Describe(ClientDefinition)"/> wrote).</summary>
    public ClientDefinition Read(OpenIddictApplicationDescriptor descriptor)
    {
        var permissions = descriptor.Permissions;
        var scopes = Suffixes(permissions, Permissions.Prefixes.Scope);
        var properties = descriptor.Properties;
        return new ClientDefinition
        {
            ClientId = descriptor.ClientId!,
            DisplayName = descriptor.DisplayName,
            TenantId = ClientTenancy.Read(properties),
            IsPublic = descriptor.ClientType == ClientTypes.Public,
            GrantTypes = [.. Suffixes(permissions, Permissions.Prefixes.GrantType).Where(KnownGrantTypes.Contains)],
            RedirectUris = [.. descriptor.RedirectUris.Select(uri => uri.OriginalString).Order(StringComparer.Ordinal)],
            PostLogoutRedirectUris = [.. descriptor.PostLogoutRedirectUris.Select(uri => uri.OriginalString).Order(StringComparer.Ordinal)],
            Scopes = scopes,
            Resources = [.. Suffixes(permissions, Permissions.Prefixes.Resource)
                .Where(r => !(r == server.Value.AccountAudience && scopes.Contains(HubClaims.AccountScope)))],
            AllowedOrigins = properties.TryGetValue(ClientOrigins.PropertyName, out var origins) && origins.ValueKind == JsonValueKind.Array
                ? [.. origins.EnumerateArray().Select(e => e.GetString()).OfType<string>()] : [],
            StepUp = permissions.Contains(Permissions.Prefixes.GrantType + StepUpGrant.GrantType),
            RequireConsent = descriptor.ConsentType == ConsentTypes.Explicit,
            RequirePkce = descriptor.Requirements.Contains(Requirements.Features.ProofKeyForCodeExchange),
            Admin = properties.TryGetValue(AdminClient.PropertyName, out var admin) && admin.ValueKind == JsonValueKind.True,
            BackchannelLogoutUri = properties.TryGetValue(BackchannelLogoutRegistration.UriProperty, out var logoutUri) && logoutUri.ValueKind == JsonValueKind.String
                ? logoutUri.GetString() : null,
            BackchannelLogoutSessionRequired = properties.TryGetValue(BackchannelLogoutRegistration.SessionRequiredProperty, out var sid) && sid.ValueKind == JsonValueKind.True,
        };
    }

    private void AddPermissions(OpenIddictApplicationDescriptor descriptor, ClientDefinition client)
    {
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection]);
        foreach (var grant in client.GrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grant);
            if (client.StepUp && grant is GrantTypes.AuthorizationCode or GrantTypes.Password)
            {
                // Only clients configured for it, and that hold user tokens, may re-authenticate users for step-up tokens.
                descriptor.Permissions.UnionWith([Permissions.Prefixes.GrantType + StepUpGrant.GrantType, Permissions.GrantTypes.TokenExchange]);
            }
            if (grant == GrantTypes.AuthorizationCode)
            {
                descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.ResponseTypes.Code]);
            }
        }
        foreach (var scope in client.Scopes.Where(s => s is not (Scopes.OpenId or Scopes.OfflineAccess)))
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
            if (scope == HubClaims.AccountScope)
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Resource + server.Value.AccountAudience);
            }
        }
        foreach (var resource in client.Resources)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Resource + resource);
        }
    }

    private static string[] Suffixes(HashSet<string> permissions, string prefix) =>
        [.. permissions.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..]).Order(StringComparer.Ordinal)];

    /// <summary>
    /// An absolute URI written with its scheme: on Unix .NET also reads <c>/path</c> as an absolute <c>file://</c> URI,
    /// which OpenIddict then refuses with an exception.
    /// </summary>
    private static string? UriProblem(string uri) =>
        !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !uri.StartsWith(parsed.Scheme + ":", StringComparison.OrdinalIgnoreCase) ? "not_absolute_uri"
        : parsed.Fragment.Length > 0 || uri.Contains('#', StringComparison.Ordinal) ? "has_fragment"
        : null;

    /// <summary>
    /// Absolute, http(s), no fragment (Back-Channel Logout 1.0, section 2.2), no user info (a credential in
    /// configuration would be sent with every token); https outside Development, where the token crosses networks.
    /// The same rule holds for a Shared Signals push endpoint.
    /// </summary>
    public static string? ReceiverUriProblem(string value, IHostEnvironment environment) =>
        !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            || !value.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase) ? "not_http_uri"
        : uri.Scheme != "https" && !environment.IsDevelopment() ? "https_required"
        : null;

    private static void Entries(IReadOnlyList<string> values, HubField field, Func<string, string?> problem, List<HubError> errors)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if ((values[i] is null ? "required" : problem(values[i])) is { } reason)
            {
                errors.Add(new HubError(HubErrorCode.InvalidRequest, field, [reason])
                {
                    Context = new Dictionary<string, object?> { ["index"] = i, ["value"] = values[i] },
                });
            }
        }
    }

    private static object? Value(HubError error) => error.Context?.GetValueOrDefault("value");
}
