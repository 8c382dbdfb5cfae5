using System.Text.Json.Serialization;
using IdentityHub.Passwords;

namespace IdentityHub.Web.Api.V1;

/// <summary>A tenant's resolved password policy, so clients and pages can show the rules before the user types.</summary>
internal sealed record V1PasswordPolicyResponse(
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("policy")] PasswordPolicy Policy);
