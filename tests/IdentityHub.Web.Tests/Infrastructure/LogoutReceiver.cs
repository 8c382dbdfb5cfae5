using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// A relying party's back-channel logout endpoint, or a Shared Signals receiver's push endpoint: a small Kestrel app on
/// 127.0.0.1 that records every POST it gets (path, content type, the <c>logout_token</c> field of a form, or else the
/// body, and the Authorization header) and answers 200 (202 to a SET), or on paths starting with <c>/refuse</c> 400
/// with an RFC 8935 error body; on paths starting with <c>/hold</c> it records the request and answers only once
/// <see cref="Release"/> is called.
/// Its port is fixed at construction, so it can be registered before it starts, stopped (down) and started again.
/// </summary>
public sealed class LogoutReceiver : IAsyncDisposable
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? app;

    public LogoutReceiver(bool start = true)
    {
        Port = Loopback.FreePort();
        if (start)
        {
            StartAsync().GetAwaiter().GetResult();
        }
    }

    public int Port { get; }

    /// <summary>What was posted, in arrival order.</summary>
    public ConcurrentQueue<ReceivedLogout> Received { get; } = new();

    /// <summary>The receiver's URI for <paramref name="path"/> (e.g. <c>/a</c>, or <c>/refuse</c> for an endpoint answering 400).</summary>
    public string Uri(string path) => $"http://127.0.0.1:{Port}{path}";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            var body = form is null ? await new StreamReader(context.Request.Body).ReadToEndAsync() : null;
            Received.Enqueue(new ReceivedLogout(context.Request.Path, context.Request.ContentType, form?["logout_token"].ToString(), body,
                context.Request.Headers.Authorization.ToString()));
            if (context.Request.Path.StartsWithSegments("/hold"))
            {
                await released.Task;
            }
            return context.Request.Path.StartsWithSegments("/refuse")
                ? Results.Json(new { err = "invalid_request", description = "The test receiver refuses everything." }, statusCode: 400)
                : form is null ? Results.Accepted() : Results.Ok();
        });
        await app.StartAsync();
    }

    /// <summary>From now on, requests on <c>/hold</c> paths (those waiting, and later ones) are answered 200.</summary>
    public void Release() => released.TrySetResult();

    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds over what was received, or fails after <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<ReceivedLogout>> WaitForAsync(Func<IReadOnlyList<ReceivedLogout>, bool> condition, double seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var now = Received.ToList();
            if (condition(now))
            {
                return now;
            }
            Assert.True(DateTime.UtcNow < until, $"The receiver did not get what the test waited for; it has {now.Count} request(s).");
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

/// <summary>One POST the receiver got: a logout token (a form), or a SET (the <paramref name="Body"/>).</summary>
public sealed record ReceivedLogout(string Path, string? ContentType, string? LogoutToken, string? Body = null, string? Authorization = null);
