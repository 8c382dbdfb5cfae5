using System.Text.Json;

namespace IdentityHub.Cedar;

/// <summary>
/// The question put to the policies: may <see cref="Principal"/> perform <see cref="Action"/> on
/// <see cref="Resource"/>, given the request-specific facts in <see cref="Context"/>?
/// </summary>
public sealed class AuthorizationRequest
{
    /// <summary>Creates a request; a null context means the empty record.</summary>
    /// <exception cref="ArgumentException"><paramref name="context"/> is not a record.</exception>
    public AuthorizationRequest(EntityUid principal, EntityUid action, EntityUid resource, CedarValue? context = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        context ??= CedarValue.EmptyRecord;
        if (context.Kind != CedarValueKind.Record)
        {
            throw new ArgumentException("The context must be a Cedar record.", nameof(context));
        }

        Principal = principal;
        Action = action;
        Resource = resource;
        Context = context;
        PrincipalValue = CedarValue.FromEntity(principal);
        ActionValue = CedarValue.FromEntity(action);
        ResourceValue = CedarValue.FromEntity(resource);
    }

    /// <summary>Who is acting (the <c>principal</c> variable).</summary>
    public EntityUid Principal { get; }

    /// <summary>What is being done (the <c>action</c> variable), conventionally an <c>Action::"..."</c> entity.</summary>
    public EntityUid Action { get; }

    /// <summary>What is acted upon (the <c>resource</c> variable).</summary>
    public EntityUid Resource { get; }

    /// <summary>The <c>context</c> record: facts about this particular request (time, IP, MFA state...).</summary>
    public CedarValue Context { get; }

    internal CedarValue PrincipalValue { get; }

    internal CedarValue ActionValue { get; }

    internal CedarValue ResourceValue { get; }

    /// <summary>
    /// Reads <c>{"principal": {"type","id"}, "action": ..., "resource": ..., "context": {...}}</c>; other properties
    /// are ignored so the same object may carry policies and entities too.
    /// </summary>
    /// <exception cref="JsonException">A required part is missing or malformed.</exception>
    public static AuthorizationRequest FromJson(JsonElement json) => CedarJsonReader.ReadRequest(json);

    /// <summary>Reads a request from JSON text; see <see cref="FromJson(JsonElement)"/>.</summary>
    /// <exception cref="JsonException">The text is not valid JSON or not a valid request.</exception>
    public static AuthorizationRequest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }
}
