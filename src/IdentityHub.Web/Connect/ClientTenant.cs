using OpenIddict.Abstractions;

namespace IdentityHub.Web.Connect;

/// <summary>The tenant a request names in <c>acr_values</c> (the client's own tenant: <see cref="IdentityHub.Tenancy.ClientTenancy"/>).</summary>
internal static class ClientTenant
{
    /// <summary>The prefix of the <c>acr_values</c> entry that names a tenant: <c>tenant:&lt;uuid&gt;</c>.</summary>
    public const string AcrValuePrefix = "tenant:";

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
