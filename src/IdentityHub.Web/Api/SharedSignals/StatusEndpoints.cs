using IdentityHub.SharedSignals;
using static IdentityHub.Web.Api.SharedSignals.SharedSignalsApi;

namespace IdentityHub.Web.Api.SharedSignals;

/// <summary>A stream's status (SSF 1.0 section 8.1.2), its verification event (section 8.1.4) and poll delivery (RFC 8936).</summary>
internal static class StatusEndpoints
{
    public static RouteGroupBuilder MapStatusEndpoints(this RouteGroupBuilder ssf)
    {
        ssf.MapGet("/ssf/status", async (HttpContext context, SecurityEventStreams streams, string? stream_id) =>
                await streams.GetAsync(Receiver(context), stream_id, context.RequestAborted) is var found && found is { Succeeded: true, Value: { } stream }
                    ? Results.Json(new StreamStatusBody(stream.Id.ToString("N"), stream.Status, stream.StatusReason))
                    : Refuse(found.Error!.Value, found.Description))
            .WithName("SsfReadStatus").WithSummary("A stream's status (?stream_id=)")
            .Produces<StreamStatusBody>(StatusCodes.Status200OK).Produces<SharedSignalsError>(StatusCodes.Status400BadRequest)
            .Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapPost("/ssf/status", UpdateStatusAsync)
            .WithName("SsfUpdateStatus").WithSummary("Enable, pause (SETs are held until enabled) or disable (SETs are dropped) a stream")
            .DocumentJsonBody<StreamStatusBody>().Produces<StreamStatusBody>(StatusCodes.Status200OK)
            .Produces<SharedSignalsError>(StatusCodes.Status400BadRequest).Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapPost("/ssf/verify", VerifyAsync)
            .WithName("SsfVerify").WithSummary("Send the stream a verification SET carrying the receiver's state")
            .DocumentJsonBody<VerificationWrite>().Produces(StatusCodes.Status204NoContent)
            .Produces<SharedSignalsError>(StatusCodes.Status400BadRequest).Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        ssf.MapPost(PollPath + "/{streamId}", PollAsync)
            .WithName("SsfPoll").WithSummary("Acknowledge SETs and poll for the waiting ones (RFC 8936); answers at once, without long polling")
            .DocumentJsonBody<PollWrite>().Produces<PollAnswer>(StatusCodes.Status200OK)
            .Produces<SharedSignalsError>(StatusCodes.Status400BadRequest).Produces<SharedSignalsError>(StatusCodes.Status404NotFound).WithReceiverRefusals();
        return ssf;
    }

    private static async Task<IResult> UpdateStatusAsync(HttpContext context, SecurityEventStreams streams)
    {
        var (body, refusal) = await ReadAsync<StreamStatusBody>(context.Request);
        if (body is null)
        {
            return refusal!;
        }
        var updated = await streams.SetStatusAsync(Receiver(context), body.StreamId, body.Status, body.Reason, context.RequestAborted);
        return updated is { Succeeded: true, Value: { } stream }
            ? Results.Json(new StreamStatusBody(stream.Id.ToString("N"), stream.Status, stream.StatusReason))
            : Refuse(updated.Error!.Value, updated.Description);
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, SecurityEventStreams streams)
    {
        var (body, refusal) = await ReadAsync<VerificationWrite>(context.Request);
        if (body is null)
        {
            return refusal!;
        }
        var verified = await streams.VerifyAsync(Receiver(context), body.StreamId, body.State, context.RequestAborted);
        return verified.Succeeded ? Results.NoContent() : Refuse(verified.Error!.Value, verified.Description);
    }

    private static async Task<IResult> PollAsync(string streamId, HttpContext context, SecurityEventPolling polling)
    {
        var (body, refusal) = await ReadAsync<PollWrite>(context.Request);
        if (body is null)
        {
            return refusal!;
        }
        var errors = (body.SetErrs ?? new Dictionary<string, PollErrorWrite>()).Take(100)
            .ToDictionary(e => e.Key, e => new PollSetError(e.Value?.Err, e.Value?.Description), StringComparer.Ordinal);
        var polled = await polling.PollAsync(Receiver(context), streamId, new PollRequest(body.MaxEvents, body.Ack ?? [], errors), context.RequestAborted);
        return polled is { Succeeded: true, Value: { } result }
            ? Results.Json(new PollAnswer(result.Sets, result.MoreAvailable))
            : Refuse(polled.Error!.Value, polled.Description);
    }
}
