using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IdentityHub.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// Records the measurements of one host's <c>IdentityHub</c> meter in the test process (other hosts' meters, of tests
/// running in parallel, have another <see cref="IMeterFactory"/> as their scope and are left out).
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> measurements = new();

    public MeterRecorder(HubApplication app)
    {
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IdentityHubMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements whose tags include every one of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) =>
        measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Sum(m => m.Value);

    /// <summary>The observable gauges' current values, read now.</summary>
    public long Observe(string instrument)
    {
        var before = measurements.Count(m => m.Instrument == instrument);
        listener.RecordObservableInstruments();
        return measurements.Where(m => m.Instrument == instrument).Skip(before).Last().Value;
    }

    public void Dispose() => listener.Dispose();
}
