using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityHub.Tenancy;

namespace IdentityHub.Web.Administration;

/// <summary>A tenant as the admin API and the command line show it.</summary>
/// <param name="ManagedBy"><c>configuration</c> for a tenant the seed defines (read-only here), else <c>api</c>.</param>
internal sealed record TenantView(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("default_locale")] string DefaultLocale,
    [property: JsonPropertyName("password_policy")] JsonElement PasswordPolicy,
    [property: JsonPropertyName("policies")] string? Policies,
    [property: JsonPropertyName("attributes")] IReadOnlyDictionary<string, string> Attributes,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("managed_by")] string ManagedBy)
{
    public const string Configuration = "configuration";
    public const string Api = "api";

    public static TenantView Of(Tenant tenant, bool seeded) => new(tenant.Id, tenant.Name, tenant.DefaultLocale,
        AdminJson.PolicyElement(tenant.PasswordPolicy), tenant.Policies, tenant.Attributes, tenant.CreatedAt, seeded ? Configuration : Api);
}

/// <summary>The tenants an administrator may see.</summary>
internal sealed record TenantList([property: JsonPropertyName("tenants")] IReadOnlyList<TenantView> Tenants);

/// <summary>
/// A new tenant (<c>POST /v1/admin/tenants</c>, <c>tenants create</c>). Only <see cref="Name"/> is required; the id is
/// generated when absent, the locale is <c>en</c>, the password policy the <c>strict</c> preset, the Cedar policies the
/// default set.
/// </summary>
internal sealed record TenantCreate(
    [property: JsonPropertyName("id")] Guid? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("default_locale")] string? DefaultLocale,
    [property: JsonPropertyName("password_policy")] JsonElement? PasswordPolicy,
    [property: JsonPropertyName("policies")] string? Policies,
    [property: JsonPropertyName("attributes")] Dictionary<string, string>? Attributes);

/// <summary>
/// Changes to a tenant (<c>PATCH /v1/admin/tenants/{id}</c>, <c>tenants update</c>): each field given replaces the
/// stored one; an absent or null field is kept. <c>"policies": ""</c> goes back to the default Cedar policies; a
/// password policy is replaced whole (its preset and overrides).
/// </summary>
internal sealed record TenantChanges(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("default_locale")] string? DefaultLocale,
    [property: JsonPropertyName("password_policy")] JsonElement? PasswordPolicy,
    [property: JsonPropertyName("policies")] string? Policies,
    [property: JsonPropertyName("attributes")] Dictionary<string, string>? Attributes);
