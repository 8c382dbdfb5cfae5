using System.Security.Claims;
using IdentityHub.Accounts;
using IdentityHub.Passwords;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// The OpenIddict passthrough endpoints: OpenIddict validates the protocol, these decide who the user is.
/// Discovery, JWKS, introspection and revocation are handled entirely by OpenIddict.
/// </summary>
internal static class ConnectEndpoints
{
    /// <summary>Where a signed-in person whose password must be changed is sent before anything else.</summary>
    public const string ChangePasswordPath = "/Account/ChangePassword";

    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").ExcludeFromDescription();
        connect.MapMethods("/authorize", ["GET", "POST"], AuthorizeAsync);
        connect.MapPost("/token", TokenAsync).DisableAntiforgery();
        connect.MapMethods("/userinfo", ["GET", "POST"], UserInfoAsync).DisableAntiforgery();
        // Typed as Func so the returned IResult is executed (a bare method group would bind as a RequestDelegate).
        connect.MapMethods("/endsession", ["GET", "POST"], (Func<HttpContext, Task<IResult>>)EndSessionAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(
        HttpContext context, IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations,
        UserManager<HubUser> users, UserClaims userClaims, TimeProvider clock, IOptions<ServerOptions> server)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        // A client bound to a tenant signs users in only in that tenant: acr_values may name a tenant for an unbound
        // client, never another tenant for a bound one (that would hand tenant B's user a code for tenant A's app).
        var boundTenant = await ClientTenancy.FindAsync(applications, request.ClientId, context.RequestAborted);
        var requestedTenant = ClientTenant.FromAcrValues(request);
        if (boundTenant is { } bound && requestedTenant is { } requested && requested != bound)
        {
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidRequest, "This client signs users in only in its own tenant; acr_values names another.");
        }
        var tenantId = boundTenant ?? requestedTenant;

        var cookie = await context.AuthenticateAsync(SessionCookie.Scheme);
        var user = cookie.Succeeded && Guid.TryParse(cookie.Principal.GetClaim(Claims.Subject), out var userId)
            ? await users.FindByIdAsync(userId.ToString())
            : null;
        var authTime = HubClaims.AuthTime(cookie.Principal) ?? DateTimeOffset.MinValue;
        var tooOld = request.MaxAge is { } maxAge && clock.GetUtcNow() - authTime > TimeSpan.FromSeconds(maxAge);
        if (user is { IsDisabled: true })
        {
            user = null;   // disabling ends every session; should a cookie outlive that, it signs no one in
        }
        var wrongTenant = user is not null && tenantId is { } required && user.TenantId != required;

        if (user is null || wrongTenant || tooOld || request.HasPromptValue(PromptValues.Login))
        {
            // The same user asked for again (max_age, prompt=login) re-enters the password on the re-authentication
            // page, in the same session; anyone else signs in on the sign-in page.
            return user is null || wrongTenant
                ? AuthenticateFirst(context, request, SessionCookie.LoginPath, tenantId)
                : AuthenticateFirst(context, request, SessionCookie.ReauthenticatePath, null);
        }

        if (user.PasswordChangeRequired)
        {
            return ChangePasswordFirst(context, request);
        }

        var (refusal, authorizationId) = await CheckConsentAsync(context, request, applications, authorizations, user);
        if (refusal is not null)
        {
            return refusal;
        }

        var sessionId = cookie.Principal!.GetClaim(HubClaims.SessionId)!;
        var identity = HubClaims.CreateIdentity(user, sessionId, authTime, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        HubClaims.SetResources(principal, server.Value, request.GetResources());
        if (authorizationId is not null)
        {
            principal.SetAuthorizationId(authorizationId);
        }
        await userClaims.AddToAsync(principal, user);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A user who must change their password gets no code: the sign-in page leads to the change page, and a client
    /// coming straight back here with the session cookie is sent there too (or, with <c>prompt=none</c>, refused), so
    /// no client can skip the change.
    /// </summary>
    private static IResult ChangePasswordFirst(HttpContext context, OpenIddictRequest request) =>
        request.HasPromptValue(PromptValues.None)
            ? OAuthErrors.Forbid(OpenIddictConstants.Errors.InteractionRequired, "The user must change their password first.")
            : Results.Redirect(QueryHelpers.AddQueryString(ChangePasswordPath, "ReturnUrl", CurrentRequestUrl(context, afterSignIn: false)));

    /// <summary>
    /// The user must authenticate before a code is issued: <c>login_required</c> for <c>prompt=none</c>, else the page,
    /// which comes back here without <c>prompt=login</c> and <c>max_age</c> (just satisfied; kept, they would loop).
    /// </summary>
    private static IResult AuthenticateFirst(HttpContext context, OpenIddictRequest request, string page, Guid? tenantId)
    {
        if (request.HasPromptValue(PromptValues.None))
        {
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.LoginRequired, "The user is not signed in, or must sign in again.");
        }
        return Results.Redirect(QueryHelpers.AddQueryString(page, new Dictionary<string, string?>
        {
            ["ReturnUrl"] = CurrentRequestUrl(context, afterSignIn: true),
            ["tenant"] = tenantId?.ToString(),
        }.Where(p => p.Value is not null)));
    }

    /// <summary>
    /// Consent, for clients that require it: remembered as a permanent authorization per user and client. Returns the
    /// answer to give instead of signing in (denied, consent required, or the consent page), else the authorization.
    /// </summary>
    private static async Task<(IResult? Refusal, string? AuthorizationId)> CheckConsentAsync(
        HttpContext context, OpenIddictRequest request, IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations, HubUser user)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted)
            ?? throw new InvalidOperationException("The client of a validated request cannot be found.");
        if (await applications.GetConsentTypeAsync(application, context.RequestAborted) != ConsentTypes.Explicit)
        {
            return (null, null);
        }
        if (context.Request.Query["consent"] == "denied")
        {
            return (OAuthErrors.Forbid(OpenIddictConstants.Errors.AccessDenied, "The user denied the request."), null);
        }
        var applicationId = await applications.GetIdAsync(application, context.RequestAborted);
        object? existing = null;
        await foreach (var found in authorizations.FindAsync(user.Id.ToString(), applicationId, Statuses.Valid, AuthorizationTypes.Permanent,
                           request.GetScopes(), context.RequestAborted))
        {
            existing = found;
            break;
        }
        if (existing is null)
        {
            return request.HasPromptValue(PromptValues.None)
                ? (OAuthErrors.Forbid(OpenIddictConstants.Errors.ConsentRequired, "The user must consent first."), null)
                : (Results.Redirect(QueryHelpers.AddQueryString("/Account/Consent", "ReturnUrl", CurrentRequestUrl(context, afterSignIn: false))), null);
        }
        return (null, await authorizations.GetIdAsync(existing, context.RequestAborted));
    }

    private static async Task<IResult> TokenAsync(HttpContext context, TokenServices services)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await ExchangeAsync(context, request, services);
        }
        if (request.IsPasswordGrantType())
        {
            return await PasswordGrantAsync(context, request, services);
        }
        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, services, context.RequestAborted);
        }
        if (request.GrantType == StepUpGrant.GrantType || request.IsTokenExchangeGrantType())
        {
            return await StepUpGrant.HandleAsync(context, request);
        }
        throw new InvalidOperationException("The grant type is not implemented.");
    }

    /// <summary>An authorization code or a refresh token, exchanged for new tokens of the same session.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext context, OpenIddictRequest request, TokenServices services)
    {
        var cancellationToken = context.RequestAborted;
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var previous = result.Principal ?? throw new InvalidOperationException("The code or refresh token principal is missing.");
        var sessionId = previous.GetClaim(HubClaims.SessionId);
        // The session check is ours, not OpenIddict's: a password change, a sign-out or the session's lifetimes end
        // it at once (RejectTokensOfEndedSessions has refused such a token already, and its answer, the user read
        // with the session, is reused here; this check keeps the endpoint right on its own), and an exchange is a use
        // that keeps the session from going idle. The tenant binding is checked again at every exchange, so a client
        // rebound to another tenant stops serving the old tenant's users at once. A lockout is deliberately not
        // checked: it refuses new sign-ins and password checks, while the sessions the owner already has keep working
        // (otherwise anyone who knows an email could sign its owner out of every device with a few wrong passwords).
        var user = Guid.TryParse(previous.GetClaim(Claims.Subject), out var userId)
            ? await services.Sessions.FindActiveUserAsync(sessionId, userId, cancellationToken)
            : null;
        if (user is null || user.IsDisabled || user.PasswordChangeRequired || !await services.Sessions.UseAsync(sessionId, user.Id, cancellationToken) ||
            await ClientTenancy.FindAsync(services.Applications, request.ClientId, cancellationToken) is { } bound && bound != user.TenantId)
        {
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidGrant, "The token is no longer valid.");
        }
        var authTime = HubClaims.AuthTime(previous) ?? services.Clock.GetUtcNow();
        var principal = new ClaimsPrincipal(HubClaims.CreateIdentity(user, sessionId!, authTime, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        principal.SetScopes(previous.GetScopes());
        HubClaims.SetResources(principal, services.Server.Value, previous.GetResources());
        await services.UserClaims.AddToAsync(principal, user);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> PasswordGrantAsync(HttpContext context, OpenIddictRequest request, TokenServices services)
    {
        var cancellationToken = context.RequestAborted;
        if (PasswordNormalizer.IsTooLong(request.Password))
        {
            // A malformed request, not a guess: no hash, no lockout count, and the same answer for any account.
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidRequest, OAuthErrors.PasswordTooLong);
        }
        var tenantId = await ClientTenancy.FindAsync(services.Applications, request.ClientId, cancellationToken)
            ?? ClientTenant.FromAcrValues(request)
            ?? (Guid.TryParse((string?)request["tenant"], out var named) ? named : (Guid?)null)
            ?? await SingleTenantAsync(services.Tenants, cancellationToken);
        if (tenantId is null)
        {
            return OAuthErrors.Forbid(OpenIddictConstants.Errors.InvalidRequest, "Name the tenant with acr_values=tenant:<uuid>.");
        }
        var origin = HttpOrigin.From(context, request.ClientId, null);
        var check = await services.SignIn.CheckAsync(tenantId.Value, request.Username ?? "", request.Password ?? "", origin);
        if (!check.Succeeded)
        {
            return OAuthErrors.PasswordCheckFailed(check, "The email or password is invalid, or the account is temporarily locked.");
        }
        if (check.Value.PasswordChangeRequired)
        {
            // No session and no token: the only way on is the change page, which a client cannot skip.
            return OAuthErrors.PasswordChangeRequired();
        }
        var session = await services.Sessions.StartAsync(check.Value, request.ClientId, origin, cancellationToken);
        var principal = new ClaimsPrincipal(HubClaims.CreateIdentity(check.Value, session.Id,
            new DateTimeOffset(session.AuthenticatedAt, TimeSpan.Zero), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        principal.SetScopes(request.GetScopes());
        HubClaims.SetResources(principal, services.Server.Value, request.GetResources());
        await services.UserClaims.AddToAsync(principal, check.Value);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> ClientCredentialsAsync(OpenIddictRequest request, TokenServices services, CancellationToken cancellationToken)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        if (await ClientTenancy.FindAsync(services.Applications, request.ClientId, cancellationToken) is { } clientTenant)
        {
            identity.SetClaim(HubClaims.TenantId, clientTenant.ToString());
        }
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        HubClaims.SetResources(principal, services.Server.Value, request.GetResources());
        principal.SetDestinations(claim => claim.Type is Claims.Subject or HubClaims.TenantId ? [Destinations.AccessToken] : []);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserClaims userClaims, SessionService sessions)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        var sessionId = principal?.GetClaim(HubClaims.SessionId);
        if (principal is null || !Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId))
        {
            return InvalidToken("The access token does not belong to a user.");
        }
        // Like the account API: the user's claims are released only while the token's session is active (as for
        // refresh, RejectTokensOfEndedSessions has normally refused the token before this point; the user comes from
        // that check's query).
        if (await sessions.FindActiveUserAsync(sessionId, userId, context.RequestAborted) is not { } user)
        {
            return InvalidToken(await sessions.IsActiveAsync(sessionId, userId, context.RequestAborted)
                ? "The access token does not belong to a user."
                : "The sign-in session of this token has ended.");
        }

        // The same claims as the ID token for the granted scopes (UserClaims), under the same names.
        var claims = new Dictionary<string, object>(await userClaims.ReleasedAsync(user, principal.GetScopes()), StringComparer.Ordinal)
        {
            [Claims.Subject] = user.Id.ToString(),
            [HubClaims.TenantId] = user.TenantId.ToString(),
        };
        return Results.Ok(claims);
    }

    private static IResult InvalidToken(string description) => Results.Challenge(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = OpenIddictConstants.Errors.InvalidToken,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        // A signed-in browser confirms on the sign-out page first (a POST with an antiforgery token), which ends the
        // session and comes back here; then OpenIddict validates post_logout_redirect_uri and redirects there.
        var cookie = await context.AuthenticateAsync(SessionCookie.Scheme);
        if (cookie.Succeeded)
        {
            return Results.Redirect(QueryHelpers.AddQueryString("/Account/Logout", "ReturnUrl", CurrentRequestUrl(context, afterSignIn: false)));
        }
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/Account/Logout" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>This request as a local GET URL (form parameters moved to the query), to come back to after a page.</summary>
    private static string CurrentRequestUrl(HttpContext context, bool afterSignIn)
    {
        var parameters = context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList();
        parameters.RemoveAll(p => p.Key == "consent" || p.Key == "__RequestVerificationToken" ||
            (afterSignIn && (p.Key == Parameters.MaxAge || p.Key == Parameters.Prompt && p.Value.ToString().Contains(PromptValues.Login, StringComparison.Ordinal))));
        return QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, parameters);
    }

    private static async Task<Guid?> SingleTenantAsync(TenantService tenants, CancellationToken cancellationToken)
    {
        var all = await tenants.ListAsync(cancellationToken);
        return all.Count == 1 ? all[0].Id : null;
    }
}
