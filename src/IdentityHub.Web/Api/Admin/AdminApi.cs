using System.Security.Claims;
using IdentityHub.Audit;
using IdentityHub.Errors;
using IdentityHub.Tenancy;
using IdentityHub.Web.Api.V1;
using IdentityHub.Web.Connect;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// The admin API under <c>/v1/admin</c>, in the v1 error shape. Every endpoint needs a client-credentials access token
/// of a client configured as an administrator (seed setting <c>Admin</c>) with the <c>admin</c> scope; the group's
/// filter checks it before any endpoint reads its body, and hands the endpoint the acting client
/// (<see cref="AdminCaller"/>), which every admin action records in the audit log.
/// </summary>
internal static class AdminApi
{
    /// <summary>Maps the admin endpoints.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/admin")
            .WithMetadata(V1Dialect.Instance)
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags("admin");
        admin.AddEndpointFilter(async (invocation, next) =>
        {
            var caller = await AuthenticateAsync(invocation.HttpContext);
            if (!caller.Succeeded)
            {
                return V1Dialect.Instance.ToResult(caller.Errors);
            }
            invocation.HttpContext.Items[typeof(AdminCaller)] = caller.Value;
            return await next(invocation);
        });
        admin.MapPolicyEvaluation();
        admin.MapAdminTenants();
        admin.MapAdminClients();
        admin.MapAdminUsers();
        return app;
    }

    /// <summary>What every admin endpoint may answer before it runs: no or a bad token, not an administrator, throttled.</summary>
    public static RouteHandlerBuilder WithAdminRefusals(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<V1ErrorBody>(StatusCodes.Status401Unauthorized)
        .Produces<V1ErrorBody>(StatusCodes.Status403Forbidden)
        .Produces<V1ErrorBody>(StatusCodes.Status429TooManyRequests);

    /// <summary>
    /// The caller must present a client-credentials token of an administrator client with the admin scope. Who first,
    /// then what: a user's token or a non-admin client is told it may not use the API at all (asking for the admin
    /// scope would not help); an admin client without the scope is told what it lacks. A user's token never passes,
    /// even one carrying the <c>admin</c> scope (a client that allows the password grant and the admin scope could
    /// otherwise hand it to any of its users).
    /// </summary>
    private static async Task<HubResult<AdminCaller>> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (BearerToken.Read(header) is not { } token)
        {
            return HubResult<AdminCaller>.Failed(header.Length == 0 ? HubErrorCode.AuthenticationRequired : HubErrorCode.Unauthenticated);
        }
        ClaimsPrincipal principal;
        try
        {
            principal = await context.RequestServices.GetRequiredService<OpenIddictValidationService>().ValidateAccessTokenAsync(token, context.RequestAborted);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return HubResult<AdminCaller>.Failed(HubErrorCode.Unauthenticated);
        }
        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        return !await AdminClient.IsAdminClientTokenAsync(principal, applications, context.RequestAborted) ? HubResult<AdminCaller>.Failed(HubErrorCode.NotAdminClient)
            : !principal.HasScope(AdminClient.Scope) ? HubResult<AdminCaller>.Failed(HubErrorCode.InsufficientScope)
            : HubResult<AdminCaller>.Ok(await AdminCaller.ForClientAsync(principal.GetClaim(OpenIddictConstants.Claims.Subject)!, applications, context.RequestAborted));
    }
}

/// <summary>
/// The administrator client an admin API request speaks for, set by <see cref="AdminApi"/>'s filter. A client bound to a
/// tenant (seed setting <c>TenantId</c>) administers that tenant only: <see cref="TenantId"/> is then set, and anything
/// of another tenant must look to it as if it did not exist. A client bound to no tenant administers them all.
/// </summary>
internal sealed record AdminCaller(string ClientId, Guid? TenantId)
{
    public static async Task<AdminCaller> ForClientAsync(string clientId, IOpenIddictApplicationManager applications, CancellationToken cancellationToken) =>
        new(clientId, await ClientTenancy.FindAsync(applications, clientId, cancellationToken));

    /// <summary>True when the caller may administer <paramref name="tenantId"/>.</summary>
    public bool MayAdminister(Guid tenantId) => TenantId is null || TenantId == tenantId;

    /// <summary>The acting client of an admin endpoint's request (the group's filter has authenticated it).</summary>
    public static AdminCaller From(HttpContext context) => (AdminCaller)context.Items[typeof(AdminCaller)]!;

    /// <summary>Where an admin action came from, for the audit log: the acting client, the address and the user agent.</summary>
    public static RequestOrigin Origin(HttpContext context) => HttpOrigin.From(context, From(context).ClientId, sessionId: null);

    /// <summary>The acting client as the administrators' services take it (<see cref="IdentityHub.Administration.AdminActor"/>).</summary>
    public static IdentityHub.Administration.AdminActor Actor(HttpContext context) =>
        new(From(context).ClientId, From(context).TenantId, Origin(context), System.Globalization.CultureInfo.CurrentUICulture);
}
