using System.Net;
using System.Text.RegularExpressions;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// User stories over real HTTP with an independent OAuth client library (Duende.IdentityModel): discovery,
/// the password grant, and the authorization code flow with PKCE through the real sign-in page.
/// </summary>
/// <param name="app">The host.</param>
/// <param name="cookies">A cookie jar to share with another client (one browser's cookies); a new one by default.</param>
/// <param name="from">The client IP to connect from (a loopback address, see <see cref="Loopback"/>); 127.0.0.1 by default.</param>
public sealed partial class OAuthClient(HubApplication app, CookieContainer? cookies = null, IPAddress? from = null)
{
    private DiscoveryDocumentResponse? discovery;

    /// <summary>The client's HTTP connection; give two clients one <see cref="CookieContainer"/> to share a browser's cookies.</summary>
    public HttpClient Http { get; } = app.CreateBrowserlessClient(cookies, from);

    public async Task<DiscoveryDocumentResponse> DiscoverAsync()
    {
        if (discovery is null)
        {
            discovery = await Http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
            {
                // The client's own base address: the host's, or a cluster's public one (see Cluster/ClusterNode).
                Address = Http.BaseAddress!.ToString(),
                Policy = new DiscoveryPolicy { RequireHttps = false, ValidateEndpoints = true },
            });
            Assert.False(discovery.IsError, discovery.Error);
        }
        return discovery;
    }

    public async Task<TokenResponse> PasswordGrantAsync(string email, string password, string clientId = TestData.CliClient,
        string secret = TestData.CliSecret, string scope = "openid offline_access account")
    {
        var disco = await DiscoverAsync();
        return await Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            UserName = email,
            Password = password,
            Scope = scope,
        });
    }

    /// <summary>RFC 7662 introspection by a confidential client (which must succeed): whether the token is active.</summary>
    public async Task<bool> IsActiveAsync(string token, string clientId = TestData.CliClient, string secret = TestData.CliSecret, string? hint = null)
    {
        var introspection = await Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = (await DiscoverAsync()).IntrospectionEndpoint!, ClientId = clientId, ClientSecret = secret, Token = token, TokenTypeHint = hint,
        });
        Assert.False(introspection.IsError, introspection.Error);
        return introspection.IsActive;
    }

    /// <summary>A password grant that must succeed; returns the access token.</summary>
    public async Task<string> AccessTokenAsync(string email, string password = TestData.StrongPassword)
    {
        var response = await PasswordGrantAsync(email, password);
        Assert.False(response.IsError, $"{response.Error}: {response.ErrorDescription}");
        return response.AccessToken!;
    }

    public async Task<TokenResponse> RefreshAsync(string refreshToken, string clientId = TestData.CliClient, string? secret = TestData.CliSecret)
    {
        var disco = await DiscoverAsync();
        return await Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            RefreshToken = refreshToken,
        });
    }

    /// <summary>The step-up grant: re-authenticate the user behind an access token with their password.</summary>
    public async Task<TokenResponse> StepUpAsync(string accessToken, string password, string clientId = TestData.CliClient, string? secret = TestData.CliSecret)
    {
        var disco = await DiscoverAsync();
        return await Http.RequestTokenAsync(new TokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            GrantType = "urn:identityhub:params:oauth:grant-type:step-up",
            Parameters =
            {
                { "subject_token", accessToken },
                { "subject_token_type", "urn:ietf:params:oauth:token-type:access_token" },
                { "password", password },
            },
        });
    }

    /// <summary>Step-up through standard RFC 8693 token exchange, with Duende.IdentityModel's stock request type.</summary>
    public async Task<TokenResponse> TokenExchangeStepUpAsync(string accessToken, string password, string clientId = TestData.CliClient, string? secret = TestData.CliSecret)
    {
        var disco = await DiscoverAsync();
        return await Http.RequestTokenExchangeTokenAsync(new TokenExchangeTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            SubjectToken = accessToken,
            SubjectTokenType = "urn:ietf:params:oauth:token-type:access_token",
            RequestedTokenType = "urn:identityhub:params:oauth:token-type:step-up",
            Parameters = { { "password", password } },
        });
    }

    /// <summary>An access token and a step-up token for the same session of a user.</summary>
    public async Task<(string AccessToken, string StepUpToken)> AccessAndStepUpAsync(string email, string password = TestData.StrongPassword)
    {
        var access = await AccessTokenAsync(email, password);
        var stepUp = await StepUpAsync(access, password);
        Assert.False(stepUp.IsError, $"{stepUp.Error}: {stepUp.ErrorDescription}");
        return (access, stepUp.AccessToken!);
    }

    /// <summary>
    /// The authorization code flow with PKCE for the public test client: authorize, get redirected to the sign-in
    /// page, post the form with its antiforgery token, follow back to authorize, exchange the code.
    /// </summary>
    public async Task<TokenResponse> AuthorizationCodeAsync(string email, string password, string? acrValues = null,
        string scope = "openid profile email offline_access account", Guid? pickTenant = null, string clientId = TestData.SpaClient,
        string? secret = null)
    {
        var (code, verifier) = await CodeAsync(email, password, acrValues, scope, pickTenant, clientId);
        return await ExchangeCodeAsync(code, verifier, clientId, secret);
    }

    /// <summary>The first half of <see cref="AuthorizationCodeAsync"/>: a code and its PKCE verifier, not exchanged yet.</summary>
    public async Task<(string Code, string Verifier)> CodeAsync(string email, string password, string? acrValues = null,
        string scope = "openid profile email offline_access account", Guid? pickTenant = null, string clientId = TestData.SpaClient)
    {
        var disco = await DiscoverAsync();
        var verifier = CryptoRandom.CreateUniqueId(32);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var state = CryptoRandom.CreateUniqueId(16);
        var authorizeUrl = new RequestUrl(disco.AuthorizeEndpoint!).CreateAuthorizeUrl(
            clientId: clientId,
            responseType: OidcConstants.ResponseTypes.Code,
            scope: scope,
            redirectUri: TestData.SpaRedirectUri,
            state: state,
            codeChallenge: challenge,
            codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256,
            acrValues: acrValues);

        var response = await Http.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        if (location.ToString().Contains("/Account/Login", StringComparison.Ordinal))
        {
            var signIn = await SignInAsync(location.ToString(), email, password, acrValues is null ? pickTenant ?? TestData.TenantA : null);
            Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"Sign-in did not redirect: {(int)signIn.StatusCode}");
            response = await Http.GetAsync(signIn.Headers.Location);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            location = response.Headers.Location!;
        }

        Assert.StartsWith(TestData.SpaRedirectUri, location.ToString());
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(state, query["state"].ToString());
        return (query["code"].ToString(), verifier);
    }

    /// <summary>The second half of <see cref="AuthorizationCodeAsync"/>: a code exchanged at the token endpoint.</summary>
    public async Task<TokenResponse> ExchangeCodeAsync(string code, string verifier, string clientId = TestData.SpaClient, string? secret = null)
    {
        var disco = await DiscoverAsync();
        return await Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = clientId,
            ClientSecret = secret,
            Code = code,
            RedirectUri = TestData.SpaRedirectUri,
            CodeVerifier = verifier,
        });
    }

    /// <summary>Fetches the sign-in page at <paramref name="loginUrl"/> and posts the credentials with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string loginUrl, string email, string password, Guid? tenantId = null)
    {
        var page = await Http.GetAsync(loginUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenValue(html, "__RequestVerificationToken")!,
            ["Email"] = email,
            ["Password"] = password,
        };
        if (HiddenValue(html, "ReturnUrl") is { } returnUrl)
        {
            form["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl);
        }
        if (tenantId is not null)
        {
            form["TenantId"] = tenantId.Value.ToString();
        }
        else if (HiddenValue(html, "TenantId") is { Length: > 0 } tenant)
        {
            form["TenantId"] = tenant;
        }
        return await Http.PostAsync(new Uri(Http.BaseAddress!, loginUrl).GetLeftPart(UriPartial.Path) + new Uri(Http.BaseAddress!, loginUrl).Query,
            new FormUrlEncodedContent(form));
    }

    /// <summary>Fetches a page and posts its form with the antiforgery token and the page's hidden fields, plus <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, Dictionary<string, string> fields)
    {
        var page = await Http.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = HiddenValue(html, "__RequestVerificationToken")! };
        if (HiddenValue(html, "ReturnUrl") is { } returnUrl && !form.ContainsKey("ReturnUrl"))
        {
            form["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl);
        }
        return await Http.PostAsync(pageUrl, new FormUrlEncodedContent(form));
    }

    private static string? HiddenValue(string html, string name)
    {
        var match = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"");
        if (!match.Success)
        {
            match = Regex.Match(html, $"<input[^>]*value=\"([^\"]*)\"[^>]*name=\"{Regex.Escape(name)}\"");
        }
        return match.Success ? match.Groups[1].Value : null;
    }
}
