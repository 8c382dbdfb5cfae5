using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>Observability, item 10: with an OTLP endpoint configured, traces and metrics reach it (OTLP over HTTP).</summary>
public sealed class OtlpExportTests
{
    /// <summary>
    /// A host exporting to <paramref name="collector"/> over OTLP/HTTP, configured in IdentityHub's settings or, as an
    /// operator's environment would, with the standard OTEL_* variables.
    /// </summary>
    private sealed class ExportingApplication(Uri collector, bool standardVariables) : HubApplication
    {
        protected override void Configure(Dictionary<string, object?> settings)
        {
            if (!standardVariables)
            {
                settings["Telemetry"] = new { OtlpEndpoint = collector, OtlpProtocol = "HttpProtobuf", ServiceName = "identityhub-test" };
            }
        }

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (standardVariables)
            {
                builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", collector.AbsoluteUri);
                builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConfiguredEndpoint_ReceivesTracesAndMetrics_WhenTheHostStops(bool standardVariables)
    {
        using var collector = new HttpListener();
        var port = Loopback.FreePort();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentBag<(string Path, string ContentType, byte[] Body)>();
        var receiving = ReceiveAsync(collector, received);

        var app = new ExportingApplication(new Uri($"http://127.0.0.1:{port}/"), standardVariables);
        try
        {
            var (_, email) = await app.CreateUserAsync(TestData.TenantA);
            var (_, stepUp) = await new OAuthClient(app).AccessAndStepUpAsync(email);
            Assert.NotEmpty(stepUp);
        }
        finally
        {
            app.Dispose(); // stopping the host flushes both providers to the collector
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(received.Any(IsTokenTrace) && received.Any(IsStepUpMetric)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var traces = Assert.Single(received, IsTokenTrace);
        var metrics = Assert.Single(received, IsStepUpMetric);
        Assert.Equal("application/x-protobuf", traces.ContentType);
        Assert.True(Contains(metrics.Body, standardVariables ? "identityhub" : "identityhub-test"));
        Assert.True(Contains(metrics.Body, "http.server.request.duration"));
        Assert.DoesNotContain(received, r => Contains(r.Body, TestData.StrongPassword));
        collector.Stop();
        await Task.WhenAny(receiving, Task.Delay(1000));
    }

    private static async Task ReceiveAsync(HttpListener collector, ConcurrentBag<(string, string, byte[])> received)
    {
        while (collector.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await collector.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    private static bool IsTokenTrace((string Path, string ContentType, byte[] Body) r) => r.Path == "/v1/traces" && Contains(r.Body, "/connect/token");

    private static bool IsStepUpMetric((string Path, string ContentType, byte[] Body) r) => r.Path == "/v1/metrics" && Contains(r.Body, "identityhub.step_up_tokens.issued");

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
