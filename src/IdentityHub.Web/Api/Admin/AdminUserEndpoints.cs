using System.Text.Json;
using IdentityHub.Accounts;
using IdentityHub.Administration;
using IdentityHub.Errors;
using IdentityHub.Web.Api.V1;

namespace IdentityHub.Web.Api.Admin;

/// <summary>
/// Users of a tenant under <c>/v1/admin/tenants/{tenantId}/users</c>, over <see cref="UserAdministration"/>. Part of
/// the admin API (<see cref="AdminApi"/>), whose filter has authenticated the administrator client before a body is
/// read. A tenant-bound client sees only its tenant: another tenant, and any account outside the tenant of the path,
/// answer 404 like ones that do not exist.
/// </summary>
internal static class AdminUserEndpoints
{
    private delegate Task<HubResult<HubUser>> UserChange(UserAdministration users, AdminActor actor, Guid tenantId, Guid userId, CancellationToken cancellationToken);

    /// <summary>The state changes, each a <c>POST</c> on the account: path, summary, change.</summary>
    private static readonly (string Path, string Summary, UserChange Change)[] Changes =
    [
        ("lock", "Lock the account until unlocked: no sign-in, and every session and token ends", (a, x, t, u, c) => a.LockAsync(x, t, u, c)),
        ("unlock", "Unlock the account and clear its failed-attempt count", (a, x, t, u, c) => a.UnlockAsync(x, t, u, c)),
        ("disable", "Disable the account: no sign-in by any grant or page; every session and token ends at once", (a, x, t, u, c) => a.DisableAsync(x, t, u, c)),
        ("enable", "Enable a disabled account", (a, x, t, u, c) => a.EnableAsync(x, t, u, c)),
        ("require-password-change", "Require a new password before anything else at the next sign-in; every session ends now", (a, x, t, u, c) => a.RequirePasswordChangeAsync(x, t, u, c)),
    ];

    /// <summary>Maps the user endpoints on the admin group.</summary>
    public static RouteGroupBuilder MapAdminUsers(this RouteGroupBuilder admin)
    {
        var users = admin.MapGroup("/tenants/{tenantId}/users");
        users.MapPost("", CreateAsync).WithSummary("Create a user with an initial password (the tenant's full policy), or invite one (no password; an email with a link to set it)")
            .DocumentJsonBody<AdminCreateUserRequest>().Produces<AdminUserResponse>(StatusCodes.Status201Created).ProducesAdminErrors();
        users.MapGet("", ListAsync).WithSummary("List the tenant's users by email, a page at a time (page from 1, size up to 100); email= searches (contains, any case)")
            .Produces<AdminPage<AdminUserResponse>>().ProducesAdminErrors();
        users.MapGet("/{userId}", ReadAsync).WithSummary("Read a user").Produces<AdminUserResponse>().ProducesAdminErrors();
        users.MapDelete("/{userId}", DeleteAsync).WithSummary("Delete a user: every session and token ends; the audit events are kept")
            .Produces(StatusCodes.Status204NoContent).ProducesAdminErrors();
        foreach (var (path, summary, change) in Changes)
        {
            users.MapPost("/{userId}/" + path, (HttpContext context, string tenantId, string userId) => ChangeAsync(context, tenantId, userId, change))
                .WithSummary(summary).Produces<AdminUserResponse>().ProducesAdminErrors();
        }
        users.MapDelete("/{userId}/sessions", RevokeSessionsAsync).WithSummary("End every session and token of the user (introspection inactive, refresh refused at once)")
            .Produces(StatusCodes.Status204NoContent).ProducesAdminErrors();
        users.MapPost("/{userId}/password-reset", SendResetAsync).WithSummary("Email the user a password-reset link")
            .Produces(StatusCodes.Status202Accepted).ProducesAdminErrors();
        users.MapPut("/{userId}/password", SetPasswordAsync).WithSummary("Set the user's password through the tenant's full policy; every session ends, the user is emailed")
            .DocumentJsonBody<AdminSetPasswordRequest>().Produces(StatusCodes.Status204NoContent).ProducesAdminErrors();
        users.MapGet("/{userId}/password-changes", PasswordChangesAsync).WithSummary("The user's password changes (receipts: sessions ended, tokens revoked, deliveries), newest first, a page at a time")
            .Produces<AdminPage<V1PasswordChange>>().ProducesAdminErrors();
        users.MapGet("/{userId}/password-changes/{id}", PasswordChangeAsync).WithSummary("One password change of the user (its receipt); 404 for any id that is not one of this user's")
            .Produces<V1PasswordChange>().ProducesAdminErrors();
        users.MapGet("/{userId}/audit-events", AuditEventsAsync).WithSummary("The user's audit events, newest first, a page at a time")
            .Produces<AdminPage<AdminAuditEventResponse>>().ProducesAdminErrors();
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string tenantId, UserAdministration users, TimeProvider clock)
    {
        var tenant = ReadId(tenantId, HubField.TenantId);
        if (!tenant.Succeeded)
        {
            return Refuse(tenant);
        }
        var body = await JsonBody.ReadObjectAsync(context.Request);
        var input = body.Succeeded ? AdminUserInput.Read(body.Value) : HubResult<NewUser>.FailedLike(body);
        if (!input.Succeeded)
        {
            return Refuse(input);
        }
        var created = await users.CreateAsync(AdminCaller.Actor(context), tenant.Value, input.Value, HttpOrigin.Issuer(context), context.RequestAborted);
        return created.Succeeded
            ? Results.Json(AdminUserResponse.From(created.Value, clock.GetUtcNow()), statusCode: StatusCodes.Status201Created)
            : Refuse(created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string tenantId, string? email, string? page, string? size, UserAdministration users, TimeProvider clock)
    {
        var ids = ReadId(tenantId, HubField.TenantId);
        var paging = Paging.Read(page, size);
        if (!ids.Succeeded || !paging.Succeeded)
        {
            return Refuse(ids.Succeeded ? paging : ids);
        }
        var found = await users.ListAsync(AdminCaller.Actor(context), ids.Value, new UserQuery(email, paging.Value.Page, paging.Value.Size), context.RequestAborted);
        var now = clock.GetUtcNow();
        return found.Succeeded
            ? Results.Json(new AdminPage<AdminUserResponse>([.. found.Value.Items.Select(u => AdminUserResponse.From(u, now))], found.Value.Page, found.Value.Size, found.Value.Total))
            : Refuse(found);
    }

    private static Task<IResult> ReadAsync(HttpContext context, string tenantId, string userId) =>
        ChangeAsync(context, tenantId, userId, (a, x, t, u, c) => a.FindAsync(x, t, u, c));

    private static async Task<IResult> ChangeAsync(HttpContext context, string tenantId, string userId, UserChange change)
    {
        var ids = ReadIds(tenantId, userId);
        if (!ids.Succeeded)
        {
            return Refuse(ids);
        }
        var users = context.RequestServices.GetRequiredService<UserAdministration>();
        var changed = await change(users, AdminCaller.Actor(context), ids.Value.TenantId, ids.Value.UserId, context.RequestAborted);
        return changed.Succeeded
            ? Results.Json(AdminUserResponse.From(changed.Value, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()))
            : Refuse(changed);
    }

    private static Task<IResult> DeleteAsync(HttpContext context, string tenantId, string userId) =>
        ActAsync(context, tenantId, userId, StatusCodes.Status204NoContent, (a, x, t, u, c) => a.DeleteAsync(x, t, u, c));

    private static Task<IResult> RevokeSessionsAsync(HttpContext context, string tenantId, string userId) =>
        ActAsync(context, tenantId, userId, StatusCodes.Status204NoContent, async (a, x, t, u, c) => await a.RevokeSessionsAsync(x, t, u, c));

    private static Task<IResult> SendResetAsync(HttpContext context, string tenantId, string userId) =>
        ActAsync(context, tenantId, userId, StatusCodes.Status202Accepted, (a, x, t, u, c) => a.SendPasswordResetAsync(x, t, u, HttpOrigin.Issuer(context), c));

    private static async Task<IResult> SetPasswordAsync(HttpContext context, string tenantId, string userId)
    {
        var ids = ReadIds(tenantId, userId);
        if (!ids.Succeeded)
        {
            return Refuse(ids);
        }
        var body = await JsonBody.ReadObjectAsync(context.Request);
        if (!body.Succeeded)
        {
            return Refuse(body);
        }
        var (password, problem) = JsonBody.GetPassword(body.Value, "password");
        if (problem is not null)
        {
            return Refuse(HubResult.Failed(new HubError(HubErrorCode.InvalidRequest, HubField.Password, [problem])));
        }
        return await ActAsync(context, tenantId, userId, StatusCodes.Status204NoContent, async (a, x, t, u, c) => await a.SetPasswordAsync(x, t, u, password!, c));
    }

    private static Task<IResult> AuditEventsAsync(HttpContext context, string tenantId, string userId, string? page, string? size) =>
        PageAsync(context, tenantId, userId, page, size, (a, x, t, u, p, s, c) => a.AuditEventsAsync(x, t, u, p, s, c), AdminAuditEventResponse.From);

    private static Task<IResult> PasswordChangesAsync(HttpContext context, string tenantId, string userId, string? page, string? size) =>
        PageAsync(context, tenantId, userId, page, size, (a, x, t, u, p, s, c) => a.PasswordChangesAsync(x, t, u, p, s, c), V1PasswordChange.From);

    /// <summary>A page of something of the account (<c>page</c> from 1, <c>size</c>), each item as the admin API shows it.</summary>
    private static async Task<IResult> PageAsync<TItem, TResponse>(HttpContext context, string tenantId, string userId, string? page, string? size,
        Func<UserAdministration, AdminActor, Guid, Guid, int, int, CancellationToken, Task<HubResult<Paged<TItem>>>> read, Func<TItem, TResponse> show)
    {
        var ids = ReadIds(tenantId, userId);
        var paging = Paging.Read(page, size);
        if (!ids.Succeeded || !paging.Succeeded)
        {
            return Refuse(ids.Succeeded ? paging : ids);
        }
        var users = context.RequestServices.GetRequiredService<UserAdministration>();
        var found = await read(users, AdminCaller.Actor(context), ids.Value.TenantId, ids.Value.UserId, paging.Value.Page, paging.Value.Size, context.RequestAborted);
        return found.Succeeded
            ? Results.Json(new AdminPage<TResponse>([.. found.Value.Items.Select(show)], found.Value.Page, found.Value.Size, found.Value.Total))
            : Refuse(found);
    }

    private static async Task<IResult> PasswordChangeAsync(HttpContext context, string tenantId, string userId, string id, UserAdministration users)
    {
        var ids = ReadIds(tenantId, userId);
        if (!ids.Succeeded)
        {
            return Refuse(ids);
        }
        // A malformed id names no change of the user: the same 404 as an unknown one.
        var found = await users.PasswordChangeAsync(AdminCaller.Actor(context), ids.Value.TenantId, ids.Value.UserId, Guid.TryParse(id, out var receiptId) ? receiptId : Guid.Empty,
            context.RequestAborted);
        return found.Succeeded ? Results.Json(V1PasswordChange.From(found.Value)) : Refuse(found);
    }

    private static async Task<IResult> ActAsync(HttpContext context, string tenantId, string userId, int status,
        Func<UserAdministration, AdminActor, Guid, Guid, CancellationToken, Task<HubResult>> action)
    {
        var ids = ReadIds(tenantId, userId);
        if (!ids.Succeeded)
        {
            return Refuse(ids);
        }
        var done = await action(context.RequestServices.GetRequiredService<UserAdministration>(), AdminCaller.Actor(context), ids.Value.TenantId, ids.Value.UserId, context.RequestAborted);
        return done.Succeeded ? Results.StatusCode(status) : Refuse(done);
    }

    /// <summary>The acting administrator client, its tenant scope, its origin for the audit, and the request's language for notices.</summary>

    private static IResult Refuse(HubResult failure) => V1Dialect.Instance.ToResult(failure.Errors);

    private static HubResult<Guid> ReadId(string value, HubField field) =>
        Guid.TryParseExact(value, "D", out var id) ? id : new HubError(HubErrorCode.InvalidRequest, field, ["must_be_uuid"]);

    private static HubResult<(Guid TenantId, Guid UserId)> ReadIds(string tenantId, string userId)
    {
        var tenant = ReadId(tenantId, HubField.TenantId);
        var user = ReadId(userId, HubField.UserId);
        return !tenant.Succeeded ? HubResult<(Guid, Guid)>.FailedLike(tenant)
            : !user.Succeeded ? HubResult<(Guid, Guid)>.FailedLike(user)
            : (tenant.Value, user.Value);
    }

    /// <summary>The group's refusals (<see cref="AdminApi.WithAdminRefusals"/>), and what a user endpoint may answer itself.</summary>
    private static RouteHandlerBuilder ProducesAdminErrors(this RouteHandlerBuilder builder) => builder
        .WithAdminRefusals()
        .Produces<V1ErrorBody>(StatusCodes.Status400BadRequest)
        .Produces<V1ErrorBody>(StatusCodes.Status404NotFound)
        .Produces<V1ErrorBody>(StatusCodes.Status409Conflict)
        .Produces<V1ErrorBody>(StatusCodes.Status415UnsupportedMediaType)
        .Produces<V1ErrorBody>(StatusCodes.Status500InternalServerError);
}
