using System.Globalization;
using IdentityHub.Audit;
using IdentityHub.Cedar;

namespace IdentityHub.Administration;

/// <summary>
/// Who administers: an administrator client of the admin API, or an operator at the command line. A client bound to a
/// tenant (<see cref="TenantScope"/>) administers that tenant only; anything of another tenant must look to it as if it
/// did not exist.
/// </summary>
/// <param name="ClientId">The acting administrator client; null for the command line.</param>
/// <param name="TenantScope">The only tenant the actor may administer, or null for all.</param>
/// <param name="Origin">Where the action came from, for the audit log (its client id is <paramref name="ClientId"/>).</param>
/// <param name="Culture">The language of policy notices in a refusal.</param>
public sealed record AdminActor(string? ClientId, Guid? TenantScope, RequestOrigin Origin, CultureInfo Culture)
{
    /// <summary>
    /// The User-Agent recorded for command-line actions: their audit events have no client id (no OAuth client acted)
    /// and this agent, followed by the operating-system user who ran the command.
    /// </summary>
    public const string CliUserAgent = "IdentityHub CLI";

    /// <summary>An operator at the command line of the box, as <paramref name="osUser"/>.</summary>
    public static AdminActor Cli(string osUser, CultureInfo culture) =>
        new(null, null, new RequestOrigin(null, null, $"{CliUserAgent} ({osUser})", null), culture);

    /// <summary>
    /// True when the actor may administer <paramref name="tenantId"/>; null (a client bound to no tenant) only for an
    /// actor of every tenant.
    /// </summary>
    public bool MayAdminister(Guid? tenantId) => TenantScope is null || TenantScope == tenantId;

    /// <summary>The operator at the command line, as the operating-system user running it.</summary>
    public static AdminActor Cli() => Cli(Environment.UserName, CultureInfo.CurrentUICulture);

    /// <summary>
    /// The principal of an admin action for the tenant's Cedar policies: <c>Client::"&lt;client id&gt;"</c>, or
    /// <c>Operator::"cli"</c> for the command line.
    /// </summary>
    public EntityUid Principal => ClientId is null ? new EntityUid("Operator", "cli") : new EntityUid("Client", ClientId);
}
