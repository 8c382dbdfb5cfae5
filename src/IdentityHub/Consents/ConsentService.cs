using System.Collections.Immutable;
using IdentityHub.Audit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Consents;

/// <summary>
/// The applications a person consented to (permanent, valid OpenIddict authorizations of their subject) and "revoke
/// access": the authorization and every token issued under it are revoked, so its refresh tokens are refused and its
/// access tokens introspect inactive at once, and the next authorization request asks for consent again. Audited.
/// </summary>
public sealed class ConsentService(IOpenIddictAuthorizationManager authorizations, IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens, AuditLog audit)
{
    /// <summary>The user's valid permanent authorizations, newest first.</summary>
    public async Task<IReadOnlyList<GrantedConsent>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var consents = new List<GrantedConsent>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId.ToString(), cancellationToken))
        {
            if (await DescribeAsync(authorization, cancellationToken) is { } consent)
            {
                consents.Add(consent);
            }
        }
        return [.. consents.OrderByDescending(c => c.GrantedAt)];
    }

    /// <summary>
    /// Revokes one of the user's consents with its tokens; false (and nothing changes) when the id is not a valid
    /// permanent authorization of this user: another person's is answered like an unknown one.
    /// </summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid tenantId, string authorizationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var authorization = await authorizations.FindByIdAsync(authorizationId, cancellationToken);
        if (authorization is null || await authorizations.GetSubjectAsync(authorization, cancellationToken) != userId.ToString() ||
            await DescribeAsync(authorization, cancellationToken) is not { } consent)
        {
            return false;
        }
        await authorizations.TryRevokeAsync(authorization, cancellationToken);
        await tokens.RevokeByAuthorizationIdAsync(authorizationId, cancellationToken);
        // The event's client is the application whose access ended, not the (cookie-only) page that ended it.
        await audit.RecordAsync(AuditEventTypes.ConsentRevoked, tenantId, userId, origin with { ClientId = consent.ClientId }, cancellationToken);
        return true;
    }

    /// <summary>A valid permanent authorization as the page shows it; null for any other kind.</summary>
    private async Task<GrantedConsent?> DescribeAsync(object authorization, CancellationToken cancellationToken)
    {
        if (await authorizations.GetTypeAsync(authorization, cancellationToken) != AuthorizationTypes.Permanent ||
            await authorizations.GetStatusAsync(authorization, cancellationToken) != Statuses.Valid ||
            await authorizations.GetApplicationIdAsync(authorization, cancellationToken) is not { } applicationId ||
            await applications.FindByIdAsync(applicationId, cancellationToken) is not { } application)
        {
            return null;
        }
        ImmutableArray<string> scopes = await authorizations.GetScopesAsync(authorization, cancellationToken);
        return new GrantedConsent(
            (await authorizations.GetIdAsync(authorization, cancellationToken))!,
            (await applications.GetClientIdAsync(application, cancellationToken))!,
            await applications.GetDisplayNameAsync(application, cancellationToken),
            scopes,
            await authorizations.GetCreationDateAsync(authorization, cancellationToken));
    }
}
