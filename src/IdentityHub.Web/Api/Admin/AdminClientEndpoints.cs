using IdentityHub.Errors;
using IdentityHub.Web.Administration;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// <c>/v1/admin/clients</c>: list, read, create, update, rotate the secret of and delete OAuth clients
/// (<see cref="ClientAdminService"/>). A tenant-bound administrator manages its tenant's clients only (any other is a
/// 404). A generated secret is in the answer of the creation or the rotation, and nowhere else, ever.
/// </summary>
internal static class AdminClientEndpoints
{
    /// <summary>Room for long URI and origin lists; a client is still a small document.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapAdminClients(this RouteGroupBuilder admin)
    {
        admin.MapGet("/clients", async (HttpContext context, ClientAdminService clients) =>
                AdminResults.Answer(HubResult<ClientList>.Ok(await clients.ListAsync(AdminCaller.Actor(context), context.RequestAborted))))
            .WithName("AdminListClients")
            .WithSummary("The clients the administrator may see: all of them, or its tenant's for a tenant-bound administrator")
            .Produces<ClientList>(StatusCodes.Status200OK)
            .WithAdminRefusals();
        admin.MapGet("/clients/{clientId}", async (string clientId, HttpContext context, ClientAdminService clients) =>
                AdminResults.Answer(await clients.GetAsync(AdminCaller.Actor(context), clientId, context.RequestAborted)))
            .WithName("AdminGetClient")
            .WithSummary("One client (never its secret)")
            .Produces<ClientView>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .WithAdminRefusals();
        admin.MapPost("/clients", CreateAsync)
            .WithName("AdminCreateClient")
            .WithSummary("Create a client; a confidential one gets a generated secret (256 bits), shown in this answer only")
            .DocumentJsonBody<ClientCreate>()
            .Produces<ClientWithSecret>(StatusCodes.Status201Created)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .WithAdminRefusals();
        admin.MapPatch("/clients/{clientId}", UpdateAsync)
            .WithName("AdminUpdateClient")
            .WithSummary("Change a client's redirect URIs, post-logout URIs, origins, grant types, scopes, display name or administrator flag (each field given replaces the stored one)")
            .DocumentJsonBody<ClientChanges>()
            .Produces<ClientView>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
            .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
            .WithAdminRefusals();
        admin.MapPost("/clients/{clientId}/secret", async (string clientId, HttpContext context, ClientAdminService clients) =>
                AdminResults.Answer(await clients.RotateSecretAsync(AdminCaller.Actor(context), clientId, context.RequestAborted)))
            .WithName("AdminRotateClientSecret")
            .WithSummary("Replace a confidential client's secret with a generated one, shown in this answer only; the old secret stops working at once")
            .Produces<ClientWithSecret>(StatusCodes.Status200OK)
            .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
            .WithAdminRefusals();
        admin.MapDelete("/clients/{clientId}", async (string clientId, HttpContext context, ClientAdminService clients) =>
            {
                var deleted = await clients.DeleteAsync(AdminCaller.Actor(context), clientId, context.RequestAborted);
                return deleted.Succeeded ? Results.NoContent() : V1Dialect.Instance.ToResult(deleted.Errors);
            })
            .WithName("AdminDeleteClient")
            .WithSummary("Delete a client with its authorizations and tokens, which stop working at once. An administrator cannot delete the client it calls with (409 own_client)")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
            .WithAdminRefusals();
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ClientAdminService clients)
    {
        var body = await AdminResults.ReadAsync<ClientCreate>(context.Request, MaxBodyBytes);
        var created = body.Succeeded ? await clients.CreateAsync(AdminCaller.Actor(context), body.Value, context.RequestAborted) : HubResult<ClientWithSecret>.FailedLike(body);
        return AdminResults.Answer(created, StatusCodes.Status201Created, client => $"/v1/admin/clients/{Uri.EscapeDataString(client.Client.ClientId)}");
    }

    private static async Task<IResult> UpdateAsync(string clientId, HttpContext context, ClientAdminService clients)
    {
        var body = await AdminResults.ReadAsync<ClientChanges>(context.Request, MaxBodyBytes);
        return AdminResults.Answer(body.Succeeded ? await clients.UpdateAsync(AdminCaller.Actor(context), clientId, body.Value, context.RequestAborted) : HubResult<ClientView>.FailedLike(body));
    }
}
