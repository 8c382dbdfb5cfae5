using System.Text.Json.Serialization;
using IdentityHub.Accounts;
using IdentityHub.Audit;

namespace IdentityHub.Web.Api.Admin;

/// <summary>An account as the admin API and the command line show it: never a password or hash.</summary>
internal sealed record AdminUserResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("email_verified")] bool EmailVerified,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("locale")] string? Locale,
    [property: JsonPropertyName("has_password")] bool HasPassword,
    [property: JsonPropertyName("password_change_required")] bool PasswordChangeRequired,
    [property: JsonPropertyName("locked_until")] DateTimeOffset? LockedUntil,
    [property: JsonPropertyName("failed_attempts")] int FailedAttempts,
    [property: JsonPropertyName("disabled_at")] DateTime? DisabledAt,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt,
    [property: JsonPropertyName("password_changed_at")] DateTime? PasswordChangedAt)
{
    /// <summary>The account as shown; a lockout that has ended shows as none.</summary>
    public static AdminUserResponse From(HubUser user, DateTimeOffset now) => new(
        user.Id, user.TenantId, user.Email, user.EmailConfirmed, user.DisplayName, user.Locale, user.HasLocalPassword, user.PasswordChangeRequired,
        user.LockoutEnabled && user.LockoutEnd > now ? user.LockoutEnd : null, user.AccessFailedCount, user.DisabledAt,
        Utc(user.CreatedAt), Utc(user.UpdatedAt), user.PasswordChangedAt is { } at ? Utc(at) : null);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

/// <summary>A page of results: <c>{items, page, size, total}</c>.</summary>
internal sealed record AdminPage<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("total")] int Total);

/// <summary>An audit event of an account, as the admin API shows it.</summary>
internal sealed record AdminAuditEventResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("occurred_at")] DateTime OccurredAt,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("ip_address")] string? IpAddress,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("session_id")] string? SessionId)
{
    public static AdminAuditEventResponse From(AuditEvent e) =>
        new(e.Id, e.Type, DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc), e.ClientId, e.IpAddress, e.UserAgent, e.SessionId);
}

/// <summary>The body of <c>POST /v1/admin/tenants/{tenantId}/users</c> (for OpenAPI; the endpoint reads the JSON itself).</summary>
internal sealed record AdminCreateUserRequest(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("locale")] string? Locale,
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("invite")] bool? Invite);

/// <summary>The body of <c>PUT /v1/admin/tenants/{tenantId}/users/{userId}/password</c>.</summary>
internal sealed record AdminSetPasswordRequest([property: JsonPropertyName("password")] string Password);
