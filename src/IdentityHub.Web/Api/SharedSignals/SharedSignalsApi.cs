using System.Security.Claims;
using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.SharedSignals;
using IdentityHub.Tenancy;
using IdentityHub.Web.Connect;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace IdentityHub.Web.Api.SharedSignals;

/// <summary>
/// The Shared Signals Framework 1.0 transmitter's edge: the configuration document, stream management
/// (<c>/ssf/stream</c>, <c>/ssf/status</c>, <c>/ssf/verify</c>) and poll delivery (<c>/ssf/poll/{stream_id}</c>, RFC 8936).
/// Every endpoint but the document needs a client-credentials access token of a confidential client bound to a tenant,
/// with the <c>ssf.manage</c> scope; the group's filter checks it before any endpoint reads its body. Refusals are
/// <c>{err, description}</c> with the status SSF names (400, 401, 403, 404, 409).
/// </summary>
internal static class SharedSignalsApi
{
    /// <summary>Where the receivers' poll endpoints are (one per stream, <c>/{stream_id}</c>).</summary>
    public const string PollPath = "/ssf/poll";

    private const string StreamPath = "/ssf/stream", StatusPath = "/ssf/status", VerifyPath = "/ssf/verify";

    /// <summary>Maps the configuration document and the receivers' endpoints.</summary>
    public static IEndpointRouteBuilder MapSharedSignals(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/ssf-configuration", (HttpContext context) => Results.Json(Configuration(HttpOrigin.Issuer(context).AbsoluteUri)))
            .WithName("SsfConfiguration")
            .WithSummary("The Shared Signals transmitter's configuration (SSF 1.0 section 7)")
            .Produces<TransmitterConfiguration>(StatusCodes.Status200OK)
            .WithTags("shared-signals");
        var ssf = app.MapGroup("")
            .RequireRateLimiting(AccountApiRateLimiting.Policy)
            .DisableAntiforgery()
            .WithTags("shared-signals");
        ssf.AddEndpointFilter(async (invocation, next) =>
        {
            var (receiver, refusal) = await AuthenticateAsync(invocation.HttpContext);
            if (refusal is not null)
            {
                return refusal;
            }
            invocation.HttpContext.Items[typeof(StreamReceiver)] = receiver;
            return await next(invocation);
        });
        ssf.MapStreamEndpoints();
        return app;
    }

    /// <summary>The receiver a request speaks for (the group's filter has authenticated it).</summary>
    public static StreamReceiver Receiver(HttpContext context) => (StreamReceiver)context.Items[typeof(StreamReceiver)]!;

    /// <summary>A refusal in the endpoints' shape.</summary>
    public static IResult Refuse(int status, string err, string description) =>
        Results.Json(new SharedSignalsError(err, description), statusCode: status);

    /// <summary>A core refusal: 400, 404 or 409.</summary>
    public static IResult Refuse(StreamError error, string? description) => error switch
    {
        StreamError.NotFound => Refuse(StatusCodes.Status404NotFound, "not_found", description ?? "No such stream."),
        StreamError.TooManyStreams => Refuse(StatusCodes.Status409Conflict, "conflict", description ?? "Too many streams."),
        _ => Refuse(StatusCodes.Status400BadRequest, "invalid_request", description ?? "The request is not valid."),
    };

    /// <summary>What every authenticated endpoint may answer before it runs.</summary>
    public static RouteHandlerBuilder WithReceiverRefusals(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<SharedSignalsError>(StatusCodes.Status401Unauthorized)
        .Produces<SharedSignalsError>(StatusCodes.Status403Forbidden)
        .Produces(StatusCodes.Status429TooManyRequests);

    private static TransmitterConfiguration Configuration(string issuer)
    {
        var root = issuer.TrimEnd('/');
        return new TransmitterConfiguration("1_0", issuer, $"{root}/.well-known/jwks",
            [SharedSignalsConstants.PushMethod, SharedSignalsConstants.PollMethod],
            root + StreamPath, root + StatusPath, root + VerifyPath, [new AuthorizationScheme("urn:ietf:rfc:6749")], "ALL");
    }

    /// <summary>
    /// A client-credentials token (never a user's, whatever its scopes) with <c>ssf.manage</c>, of a client bound to a
    /// tenant: its streams only ever carry that tenant's subjects, so a client bound to none may have none.
    /// </summary>
    private static async Task<(StreamReceiver? Receiver, IResult? Refusal)> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (BearerToken.Read(header) is not { } token)
        {
            return (null, Unauthorized(context, header.Length == 0 ? "An access token is required." : "The Authorization header is not a bearer token."));
        }
        ClaimsPrincipal principal;
        try
        {
            principal = await context.RequestServices.GetRequiredService<OpenIddictValidationService>().ValidateAccessTokenAsync(token, context.RequestAborted);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return (null, Unauthorized(context, "The access token is not valid."));
        }
        if (AdminClient.ClientCredentialsClient(principal) is not { } clientId)
        {
            return (null, Refuse(StatusCodes.Status403Forbidden, "access_denied", "Only a receiver's client-credentials token may manage streams."));
        }
        if (!principal.HasScope(SharedSignalsConstants.ManageScope))
        {
            return (null, Refuse(StatusCodes.Status403Forbidden, "insufficient_scope", $"The token needs the {SharedSignalsConstants.ManageScope} scope."));
        }
        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        return await ClientTenancy.FindAsync(applications, clientId, context.RequestAborted) is { } tenantId
            ? (new StreamReceiver(clientId, tenantId, HttpOrigin.Issuer(context).AbsoluteUri), null)
            : (null, Refuse(StatusCodes.Status403Forbidden, "access_denied", "Only a client bound to a tenant may have streams."));
    }

    private static IResult Unauthorized(HttpContext context, string description)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Refuse(StatusCodes.Status401Unauthorized, "invalid_token", description);
    }

    /// <summary>The JSON object body as <typeparamref name="T"/>, or the refusal (415 not JSON, 400 malformed or mistyped).</summary>
    public static async Task<(T? Body, IResult? Refusal)> ReadAsync<T>(HttpRequest request) where T : class
    {
        var read = await JsonBody.ReadObjectAsync(request);
        if (!read.Succeeded)
        {
            return read.Errors[0].Code == HubErrorCode.UnsupportedMediaType
                ? (null, Refuse(StatusCodes.Status415UnsupportedMediaType, "invalid_request", "The body must be JSON."))
                : (null, Refuse(StatusCodes.Status400BadRequest, "invalid_request", $"The body is not a usable JSON object ({read.Errors[0].Rules.FirstOrDefault()})."));
        }
        try
        {
            return read.Value.Deserialize<T>() is { } body ? (body, null) : (null, Refuse(StreamError.InvalidRequest, null));
        }
        catch (JsonException exception)
        {
            return (null, Refuse(StatusCodes.Status400BadRequest, "invalid_request", $"A member has the wrong type ({exception.Path})."));
        }
    }
}
