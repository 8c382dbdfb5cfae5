using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Client;

/// <summary>A validated Security Event Token: its event types, its subject, and whether it ended the subject's sessions.</summary>
public sealed class SecurityEventReceivedContext(
    HttpContext context, AuthenticationScheme scheme, IdentityHubLogoutOptions options, JsonWebToken token, IReadOnlyList<string> eventTypes,
    SubjectIdentifier? subject, bool sessionsEnded)
    : BaseContext<IdentityHubLogoutOptions>(context, scheme, options)
{
    /// <summary>The validated token.</summary>
    public JsonWebToken Token { get; } = token;

    /// <summary>The keys of its <c>events</c> claim.</summary>
    public IReadOnlyList<string> EventTypes { get; } = eventTypes;

    /// <summary>The subject (<c>sub_id</c>, else the event's <c>subject</c>), when it has one in a format this receiver reads.</summary>
    public SubjectIdentifier? Subject { get; } = subject;

    /// <summary>Whether the subject's sessions were ended (a CAEP <c>session-revoked</c> or <c>credential-change</c> event).</summary>
    public bool SessionsEnded { get; } = sessionsEnded;
}
