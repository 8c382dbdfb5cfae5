using IdentityHub.StepUp;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>The authorization server: OpenIddict's server and validation, its settings and keys, the step-up signing key.</summary>
internal static class AuthorizationServerExtensions
{
    private const string ServerSection = "IdentityHub:Server";
    private const string KeysSection = "IdentityHub:Keys";

    /// <summary>Built-in scopes; more come from <c>IdentityHub:Seed:Scopes</c>.</summary>
    private static readonly string[] BuiltInScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, HubClaims.AccountScope, AdminClient.Scope, ScopeClaims.RolesScope,
        IdentityHub.SharedSignals.SharedSignalsConstants.ManageScope];

    public static IServiceCollection AddAuthorizationServer(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<ServerOptions>().BindConfiguration(ServerSection).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ScopeClaimsValidator>();
        services.AddOptions<KeyOptions>().BindConfiguration(KeysSection).ValidateDataAnnotations().ValidateOnStart();
        // OpenIddict takes its settings while services are registered, so they are read here once more (a value that
        // does not convert fails here, naming its key); everything else reads the options above, validated at start.
        var server = configuration.GetSection(ServerSection).Get<ServerOptions>() ?? new ServerOptions();
        var keys = TokenKeys.Load(configuration.GetSection(KeysSection).Get<KeyOptions>() ?? new KeyOptions(), environment.ContentRootPath);
        var scopes = RegisteredScopes(configuration);

        services.AddOpenIddict()
            .AddCore(options => options.ReplaceApplicationManager(typeof(CachingApplicationManager<>)))
            .AddServer(options =>
            {
                options.AddEventHandler(SkipUnrevokedTokenEntries.Descriptor);
                options.AddEventHandler(RedeemOnce.Descriptor);
                options.RemoveEventHandler(OpenIddict.Server.OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);
                foreach (var descriptor in TokenResponseTransaction.Descriptors)
                {
                    options.AddEventHandler(descriptor);
                }
                options.AddEventHandler(RejectTokensOfEndedSessions.Descriptor);
                options.AddEventHandler(RejectTokensOfDeletedClients.Descriptor);
                options.AddEventHandler(AdvertiseTenantAcrValues.Descriptor);
                options.AddEventHandler(AdvertiseBackchannelLogout.Descriptor);
                options.AddEventHandler(RecordSessionClient.Descriptor);
                ConfigureEndpointsAndFlows(options, server);
                ConfigureTokens(options, server, keys, scopes);
                UseAspNetCore(options, server);
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
                // Revoked tokens and authorizations (a password change revokes them) are refused at once.
                options.EnableTokenEntryValidation();
                options.EnableAuthorizationEntryValidation();
            });

        // Step-up tokens follow the same rotation: signed with the current key, accepted with any listed one.
        services.AddSingleton(new StepUpSigningKey(keys.SigningKeys[0], SecurityAlgorithms.EcdsaSha256) { ValidationKeys = keys.SigningKeys });
        // Back-channel logout tokens are signed with the current key too, the one ID tokens are signed with.
        services.AddSingleton(new IdentityHub.Notifications.EventTokenSigningKey(keys.SigningKeys[0], SecurityAlgorithms.EcdsaSha256));
        services.AddScoped<AccountTokenValidator>();
        services.AddSingleton<CachingApplicationManager.Rows>();
        services.AddSingleton<ClientRules>();
        services.AddScoped<TokenServices>();
        services.AddScoped<UserClaims>();
        services.AddScoped<TokenResponseTransaction>();
        services.AddSingleton<TokenResponseTransaction.SqliteGate>();
        return services;
    }

    /// <summary>The scopes the server registers: the built-in ones, <c>IdentityHub:Seed:Scopes</c>, those of <c>IdentityHub:Server:ScopeClaims</c>.</summary>
    internal static string[] RegisteredScopes(IConfiguration configuration) =>
        [.. BuiltInScopes, .. configuration.GetSection("IdentityHub:Seed:Scopes").Get<string[]>() ?? [],
         .. (configuration.GetSection(ServerSection).Get<ServerOptions>() ?? new ServerOptions()).ScopeClaims.Keys];

    private static void ConfigureEndpointsAndFlows(OpenIddictServerBuilder options, ServerOptions server)
    {
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
        options.Configure(openIddict =>
        {
            openIddict.SubjectTokenTypes.Clear();
            openIddict.SubjectTokenTypes.Add(TokenTypeIdentifiers.AccessToken);
            openIddict.ActorTokenTypes.Clear();
            openIddict.RequestedTokenTypes.Clear();
            openIddict.RequestedTokenTypes.Add(StepUpGrant.IssuedTokenType);
            openIddict.DefaultRequestedTokenType = StepUpGrant.IssuedTokenType;
        });
    }

    private static void ConfigureTokens(OpenIddictServerBuilder options, ServerOptions server, TokenKeys keys, string[] scopes)
    {
        options.RegisterScopes(scopes);
        options.RegisterResources([.. HubClaims.AllResources(server)]);
        options.RegisterClaims([.. ScopeClaims.Supported(server)]);
        // Only what the authorize endpoint honours: prompt=none (no page, login_required without a session) and
        // prompt=login (the password again, also asked for by max_age); consent and select_account are refused.
        options.Configure(openIddict =>
        {
            openIddict.PromptValues.Clear();
            openIddict.PromptValues.UnionWith([PromptValues.None, PromptValues.Login]);
        });

        options.SetAccessTokenLifetime(server.AccessTokenLifetime)
            .SetIdentityTokenLifetime(server.IdentityTokenLifetime)
            .SetAuthorizationCodeLifetime(server.AuthorizationCodeLifetime)
            .SetRefreshTokenLifetime(server.RefreshTokenLifetime)
            .SetRefreshTokenReuseLeeway(server.RefreshTokenReuseLeeway);

        // Current key first: OpenIddict signs with the first signing key and encrypts with the first encryption key
        // (keys of the same kind keep their order), publishes every signing key and accepts them all.
        foreach (var key in keys.SigningKeys)
        {
            options.AddSigningKey(key);
        }
        foreach (var key in keys.EncryptionKeys)
        {
            options.AddEncryptionKey(key);
        }
        // Access tokens are signed, not encrypted, so any resource server can validate them from the JWKS.
        options.DisableAccessTokenEncryption();
    }

    /// <summary>The passthrough endpoints (ConnectEndpoints decides who the user is), and plain HTTP where allowed.</summary>
    private static void UseAspNetCore(OpenIddictServerBuilder options, ServerOptions server)
    {
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
    }
}
