using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// A relying party's back-channel logout endpoint: a small Kestrel app on 127.0.0.1 that records every POST it gets
/// (path, content type, the <c>logout_token</c> field) and answers 200, or 400 on paths starting with <c>/refuse</c>;
/// on paths starting with <c>/hold</c> it records the request and answers only once <see cref="Release"/> is called.
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
            Received.Enqueue(new ReceivedLogout(context.Request.Path, context.Request.ContentType, form?["logout_token"].ToString()));
            if (context.Request.Path.StartsWithSegments("/hold"))
            {
                await released.Task;
            }
            return context.Request.Path.StartsWithSegments("/refuse") ? Results.BadRequest() : Results.Ok();
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

/// <summary>One POST the receiver got.</summary>
public sealed record ReceivedLogout(string Path, string? ContentType, string? LogoutToken);
