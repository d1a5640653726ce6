using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Poppy.Sdk;

/// <summary>
/// Poppy.Sdk's telemetry: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <see cref="Name"/>.
/// With OpenTelemetry: <c>tracing.AddSource(PoppyTelemetry.Name)</c> and <c>metrics.AddMeter(PoppyTelemetry.Name)</c>.
/// Every activity, instrument and tag is listed in <c>docs/telemetry.md</c>.
/// </summary>
public static class PoppyTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>Poppy.Sdk</c>.</summary>
    public const string Name = "Poppy.Sdk";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    /// <summary>Provider calls made by the composite client, tagged provider, operation, outcome.</summary>
    internal static readonly Counter<long> ProviderCalls = Meter.CreateCounter<long>(
        "poppy.provider.calls", unit: "{call}", description: "Provider calls made by the composite client.");

    /// <summary>Duration of provider calls, tagged provider, operation, outcome.</summary>
    internal static readonly Histogram<double> ProviderCallDuration = Meter.CreateHistogram<double>(
        "poppy.provider.call.duration", unit: "s", description: "Duration of provider calls.");

    /// <summary>Failovers from one provider to the next, tagged from and to.</summary>
    internal static readonly Counter<long> Failovers = Meter.CreateCounter<long>(
        "poppy.failovers", unit: "{failover}", description: "Failovers between providers.");

    /// <summary>Purge items sent, tagged provider and outcome.</summary>
    internal static readonly Counter<long> PurgeItems = Meter.CreateCounter<long>(
        "poppy.purge.items", unit: "{item}", description: "Purge items sent to providers.");
}
