using IdentityHub.Telemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// OpenTelemetry traces (ASP.NET Core, outgoing HTTP) and metrics (ASP.NET Core hosting and Kestrel, Identity, EF Core,
/// outgoing HTTP and IdentityHub's own meter), exported over OTLP, and only when an endpoint is configured
/// (<see cref="TelemetryOptions.OtlpEndpoint"/> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Without one nothing is
/// registered, nothing is sent anywhere, and the meters can still be read locally with <c>dotnet-counters</c>.
/// </summary>
internal static class TelemetryExtensions
{
    /// <summary>The meters exported besides the instrumentations' own.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Identity",
        "Microsoft.EntityFrameworkCore", IdentityHubMetrics.MeterName,
    ];

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (settings.OtlpEndpoint is null && string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(otlp => Target(otlp, settings, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(Meters)
                .AddOtlpExporter(otlp => Target(otlp, settings, "v1/metrics")));
        return services;
    }

    /// <summary>Our endpoint when set (with the signal's path over HTTP); otherwise the exporter reads the OTEL_* variables itself.</summary>
    private static void Target(OtlpExporterOptions otlp, TelemetryOptions settings, string signalPath)
    {
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return;
        }
        otlp.Protocol = settings.OtlpProtocol;
        otlp.Endpoint = settings.OtlpProtocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/"), signalPath)
            : endpoint;
    }
}
