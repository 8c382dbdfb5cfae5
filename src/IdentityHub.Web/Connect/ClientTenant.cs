using System.Text.Json;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Connect;

/// <summary>Reads the tenant a client is bound to, kept in the application's properties.</summary>
internal static class ClientTenant
{
    public const string PropertyName = IdentityHub.SharedSignals.SecurityEventQueue.TenantProperty;

    /// <summary>The prefix of the <c>acr_values</c> entry that names a tenant: <c>tenant:&lt;uuid&gt;</c>.</summary>
    public const string AcrValuePrefix = "tenant:";

    public static async Task<Guid?> FindAsync(IOpenIddictApplicationManager applications, string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        return properties.TryGetValue(PropertyName, out var value) && value.ValueKind == JsonValueKind.String &&
               Guid.TryParse(value.GetString(), out var tenantId)
            ? tenantId
            : null;
    }

    /// <summary>The tenant named by <c>acr_values=tenant:&lt;uuid&gt;</c>, if any.</summary>
    public static Guid? FromAcrValues(OpenIddictRequest request)
    {
        foreach (var value in request.GetAcrValues())
        {
            if (value.StartsWith(AcrValuePrefix, StringComparison.Ordinal) && Guid.TryParse(value.AsSpan(AcrValuePrefix.Length), out var tenantId))
            {
                return tenantId;
            }
        }
        return null;
    }
}
