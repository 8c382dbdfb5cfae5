using IdentityHub.SharedSignals;
using IdentityHub.Web.Connect;
using static IdentityHub.Web.Api.SharedSignals.SharedSignalsApi;

namespace IdentityHub.Web.Api.SharedSignals;

/// <summary>
/// Stream management (SSF 1.0 section 8.1) and poll delivery (RFC 8936) for the authenticated receiver, through
/// <see cref="SecurityEventStreams"/> and <see cref="SecurityEventPolling"/>. A stream id that is not one of the
/// receiver's own streams is a 404, whoever owns it.
/// </summary>
internal static class StreamEndpoints
{
    public static RouteGroupBuilder MapStreamEndpoints(this RouteGroupBuilder ssf)
    {
        ssf.MapGet("/ssf/stream", ReadAsync)
            .WithName("SsfReadStreams").WithSummary("One stream (?stream_id=) or all of the receiver's streams")
            .Produces<StreamConfiguration>(StatusCodes.Status200OK).Produces<StreamConfiguration[]>(StatusCodes.Status200OK)
            .Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapPost("/ssf/stream", (HttpContext context, SecurityEventStreams streams, IHostEnvironment environment) =>
                WriteAsync(context, environment, (receiver, input, _) => streams.CreateAsync(receiver, input, context.RequestAborted), StatusCodes.Status201Created))
            .WithName("SsfCreateStream").WithSummary("Create a stream (push with the receiver's endpoint_url, or poll)")
            .DocumentJsonBody<StreamWrite>().Produces<StreamConfiguration>(StatusCodes.Status201Created)
            .Produces<SharedSignalsError>(StatusCodes.Status400BadRequest).Produces<SharedSignalsError>(StatusCodes.Status409Conflict).WithReceiverRefusals();
        ssf.MapPatch("/ssf/stream", (HttpContext context, SecurityEventStreams streams, IHostEnvironment environment) =>
                WriteAsync(context, environment, (receiver, input, id) => streams.UpdateAsync(receiver, id, input, replace: false, context.RequestAborted)))
            .WithName("SsfUpdateStream").WithSummary("Change the given fields of a stream")
            .DocumentJsonBody<StreamWrite>().Produces<StreamConfiguration>(StatusCodes.Status200OK)
            .Produces<SharedSignalsError>(StatusCodes.Status400BadRequest).Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapPut("/ssf/stream", (HttpContext context, SecurityEventStreams streams, IHostEnvironment environment) =>
                WriteAsync(context, environment, (receiver, input, id) => streams.UpdateAsync(receiver, id, input, replace: true, context.RequestAborted)))
            .WithName("SsfReplaceStream").WithSummary("Replace every receiver-supplied field of a stream")
            .DocumentJsonBody<StreamWrite>().Produces<StreamConfiguration>(StatusCodes.Status200OK)
            .Produces<SharedSignalsError>(StatusCodes.Status400BadRequest).Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapDelete("/ssf/stream", async (HttpContext context, SecurityEventStreams streams, string? stream_id) =>
                await streams.DeleteAsync(Receiver(context), stream_id, context.RequestAborted) is { Succeeded: false } failed
                    ? Refuse(failed.Error!.Value, failed.Description) : Results.NoContent())
            .WithName("SsfDeleteStream").WithSummary("Delete a stream (?stream_id=); its undelivered SETs are dropped")
            .Produces(StatusCodes.Status204NoContent).Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapStatusEndpoints();
        return ssf;
    }

    private static async Task<IResult> ReadAsync(HttpContext context, SecurityEventStreams streams, string? stream_id)
    {
        if (stream_id is null)
        {
            return Results.Json((await streams.ListAsync(Receiver(context), context.RequestAborted)).Select(StreamConfiguration.From).ToList());
        }
        var found = await streams.GetAsync(Receiver(context), stream_id, context.RequestAborted);
        return found.Succeeded ? Results.Json(StreamConfiguration.From(found.Value!)) : Refuse(found.Error!.Value, found.Description);
    }

    /// <summary>Reads a stream body, checks a push endpoint as a back-channel logout URI is checked, and writes it.</summary>
    private static async Task<IResult> WriteAsync(HttpContext context, IHostEnvironment environment,
        Func<StreamReceiver, StreamInput, string?, Task<StreamOutcome<SecurityEventStream>>> write, int status = StatusCodes.Status200OK)
    {
        var (body, refusal) = await ReadAsync<StreamWrite>(context.Request);
        if (body is null)
        {
            return refusal!;
        }
        if (body.Delivery is { Method: SharedSignalsConstants.PushMethod, EndpointUrl: { } url } && ClientRules.ReceiverUriProblem(url, environment) is { } problem)
        {
            return Refuse(StreamError.InvalidRequest, problem == "https_required"
                ? "delivery.endpoint_url must use https." : "delivery.endpoint_url must be an absolute http(s) URI without a fragment or user info.");
        }
        var input = new StreamInput
        {
            EventsRequested = body.EventsRequested, Method = body.Delivery?.Method, EndpointUrl = body.Delivery?.EndpointUrl,
            AuthorizationHeader = body.Delivery?.AuthorizationHeader, HasDelivery = body.Delivery is not null, Format = body.Format, Description = body.Description,
        };
        var written = await write(Receiver(context), input, body.StreamId);
        return written.Succeeded ? Results.Json(StreamConfiguration.From(written.Value!), statusCode: status) : Refuse(written.Error!.Value, written.Description);
    }
}
