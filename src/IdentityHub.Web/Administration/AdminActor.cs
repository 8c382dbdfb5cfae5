using IdentityHub.Audit;

namespace IdentityHub.Web.Administration;

/// <summary>
/// Who performs an administrative action: an administrator client of the admin API, or the operator's command line
/// (<see cref="Cli"/>). A client bound to a tenant (<see cref="TenantId"/>) administers that tenant only; anything of
/// another tenant looks to it as if it did not exist.
/// </summary>
/// <param name="ClientId">The acting client, recorded as the audit event's client.</param>
/// <param name="TenantId">The one tenant the actor administers, or null for all of them.</param>
/// <param name="Origin">Where the action came from, for the audit log.</param>
internal sealed record AdminActor(string ClientId, Guid? TenantId, RequestOrigin Origin)
{
    /// <summary>The client id the command line's actions are audited with.</summary>
    public const string CliClientId = "cli";

    /// <summary>The operator on the box: every tenant; audited as client <c>cli</c>, with the OS user as the user agent.</summary>
    public static AdminActor Cli { get; } = new(CliClientId, null, new RequestOrigin(CliClientId, null, $"IdentityHub CLI ({Environment.UserName})", null));

    /// <summary>True when the actor may administer <paramref name="tenantId"/> (null: a client bound to no tenant).</summary>
    public bool MayAdminister(Guid? tenantId) => TenantId is null || TenantId == tenantId;
}
