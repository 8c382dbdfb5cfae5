using System.ComponentModel.DataAnnotations;
using OpenTelemetry.Exporter;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// OpenTelemetry export. Bound from <c>IdentityHub:Telemetry</c>. Nothing is exported unless an OTLP endpoint is set,
/// here or with the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "IdentityHub:Telemetry";

    /// <summary>
    /// The OTLP collector's base address (e.g. <c>http://otel-collector:4317</c> for gRPC, <c>:4318</c> for HTTP, to
    /// which <c>/v1/traces</c> and <c>/v1/metrics</c> are added). Default null: no export (unless the environment sets one).
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>How to reach <see cref="OtlpEndpoint"/>: <c>Grpc</c> (default) or <c>HttpProtobuf</c>.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The <c>service.name</c> resource attribute. Default <c>identityhub</c>.</summary>
    [Required, MaxLength(100)]
    public string ServiceName { get; set; } = "identityhub";
}
