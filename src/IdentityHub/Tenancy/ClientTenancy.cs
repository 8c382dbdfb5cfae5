using System.Text.Json;
using OpenIddict.Abstractions;

namespace IdentityHub.Tenancy;

/// <summary>
/// The tenant an OAuth client is bound to, kept in its OpenIddict application's properties (<see cref="PropertyName"/>):
/// the one reading of it, for the token endpoint, the admin API, the client rules and the Shared Signals receivers.
/// </summary>
public static class ClientTenancy
{
    /// <summary>The application property holding the tenant id, a string.</summary>
    public const string PropertyName = "tenant_id";

    /// <summary>The tenant in an application's properties, or null when it is bound to none.</summary>
    public static Guid? Read(IReadOnlyDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(PropertyName, out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var tenantId)
            ? tenantId
            : null;

    /// <summary>The tenant of <paramref name="application"/>, or null.</summary>
    public static async Task<Guid?> OfAsync(IOpenIddictApplicationManager applications, object application, CancellationToken cancellationToken) =>
        Read(await applications.GetPropertiesAsync(application, cancellationToken));

    /// <summary>The tenant of the client <paramref name="clientId"/>, or null when there is no such client or it is bound to none.</summary>
    public static async Task<Guid?> FindAsync(IOpenIddictApplicationManager applications, string? clientId, CancellationToken cancellationToken) =>
        !string.IsNullOrEmpty(clientId) && await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application
            ? await OfAsync(applications, application, cancellationToken)
            : null;
}
