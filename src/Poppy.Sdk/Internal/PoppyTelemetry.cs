using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Poppy.Sdk.Internal;

/// <summary>The one <see cref="ActivitySource"/> and <see cref="Meter"/> named <c>Poppy.Sdk</c>.</summary>
internal static class PoppyTelemetry
{
    public const string Name = "Poppy.Sdk";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Provider calls made by the composite client, tagged provider, operation, outcome.</summary>
    public static readonly Counter<long> ProviderCalls = Meter.CreateCounter<long>(
        "poppy.provider.calls", unit: "{call}", description: "Provider calls made by the composite client.");

    /// <summary>Duration of provider calls, tagged provider, operation, outcome.</summary>
    public static readonly Histogram<double> ProviderCallDuration = Meter.CreateHistogram<double>(
        "poppy.provider.call.duration", unit: "s", description: "Duration of provider calls.");

    /// <summary>Failovers from one provider to the next, tagged from and to.</summary>
    public static readonly Counter<long> Failovers = Meter.CreateCounter<long>(
        "poppy.failovers", unit: "{failover}", description: "Failovers between providers.");

    /// <summary>Purge items sent, tagged provider and outcome.</summary>
    public static readonly Counter<long> PurgeItems = Meter.CreateCounter<long>(
        "poppy.purge.items", unit: "{item}", description: "Purge items sent to providers.");
}
