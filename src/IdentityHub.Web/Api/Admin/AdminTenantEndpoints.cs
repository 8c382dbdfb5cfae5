using IdentityHub.Errors;
using IdentityHub.Web.Administration;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// <c>/v1/admin/tenants</c>: list, read, create and update tenants (<see cref="TenantAdminService"/>). A tenant-bound
/// administrator sees and updates its own tenant only (any other id is a 404) and may not create one (403).
/// </summary>
internal static class AdminTenantEndpoints
{
    /// <summary>A tenant's Cedar policies can be long: the same bound as a policy evaluation's document.</summary>
    private const int MaxBodyBytes = PolicyEvaluationEndpoints.MaxBodyBytes;

    public static RouteGroupBuilder MapAdminTenants(this RouteGroupBuilder admin)
    {
        admin.MapGet("/tenants", async (HttpContext context, TenantAdminService tenants) =>
                AdminResults.Answer(HubResult<TenantList>.Ok(await tenants.ListAsync(AdminCaller.Actor(context), context.RequestAborted))))
            .WithName("AdminListTenants")
            .WithSummary("The tenants the administrator may see: all of them, or its own for a tenant-bound administrator")
            .Produces<TenantList>(StatusCodes.Status200OK)
            .WithAdminRefusals();
        admin.MapGet("/tenants/{id}", async (string id, HttpContext context, TenantAdminService tenants) =>
                AdminResults.Answer(Guid.TryParse(id, out var tenantId)
                    ? await tenants.GetAsync(AdminCaller.Actor(context), tenantId, context.RequestAborted)
                    : HubResult<TenantView>.Failed(HubErrorCode.TenantNotFound)))
            .WithName("AdminGetTenant")
            .WithSummary("One tenant: name, default locale, password policy, Cedar policies, attributes, and whether configuration manages it")
            .Produces<TenantView>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .WithAdminRefusals();
        admin.MapPost("/tenants", CreateAsync)
            .WithName("AdminCreateTenant")
            .WithSummary("Create a tenant (administrators bound to no tenant only). A password policy that does not resolve or Cedar policies that do not parse are a 400 naming the problem; nothing is stored")
            .DocumentJsonBody<TenantCreate>()
            .Produces<TenantView>(StatusCodes.Status201Created)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .WithAdminRefusals();
        admin.MapPatch("/tenants/{id}", UpdateAsync)
            .WithName("AdminUpdateTenant")
            .WithSummary("Change a tenant's name, default locale, password policy, Cedar policies or attributes (each field given replaces the stored one). 409 managed_by_configuration for a tenant the seed defines")
            .DocumentJsonBody<TenantChanges>()
            .Produces<TenantView>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .WithAdminRefusals();
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, TenantAdminService tenants)
    {
        var body = await AdminResults.ReadAsync<TenantCreate>(context.Request, MaxBodyBytes);
        var created = body.Succeeded ? await tenants.CreateAsync(AdminCaller.Actor(context), body.Value, context.RequestAborted) : HubResult<TenantView>.FailedLike(body);
        return AdminResults.Answer(created, StatusCodes.Status201Created, tenant => $"/v1/admin/tenants/{tenant.Id}");
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, TenantAdminService tenants)
    {
        if (!Guid.TryParse(id, out var tenantId))
        {
            return V1Dialect.Instance.ToResult([new HubError(HubErrorCode.TenantNotFound)]);
        }
        var body = await AdminResults.ReadAsync<TenantChanges>(context.Request, MaxBodyBytes);
        return AdminResults.Answer(body.Succeeded ? await tenants.UpdateAsync(AdminCaller.Actor(context), tenantId, body.Value, context.RequestAborted) : HubResult<TenantView>.FailedLike(body));
    }
}
