using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Poppy.Sdk.Tests.Docs;

/// <summary>docs/telemetry.md lists every instrument, activity and tag the code emits, as observed during a small composite run.</summary>
public sealed class TelemetryDocTests
{
    [Fact]
    public async Task EveryInstrumentActivityAndTagEmitted_IsInDocsTelemetry()
    {
        var instruments = new ConcurrentDictionary<string, string>();   // name → "kind unit"
        var tags = new ConcurrentDictionary<string, byte>();
        var values = new ConcurrentDictionary<string, byte>();          // poppy.operation / poppy.outcome values
        void Seen(ReadOnlySpan<KeyValuePair<string, object?>> measured)
        {
            foreach (var tag in measured)
            {
                tags.TryAdd(tag.Key, 0);
                if (tag.Key is "poppy.operation" or "poppy.outcome")
                {
                    values.TryAdd((string)tag.Value!, 0);
                }
            }
        }

        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PoppyTelemetry.Name)
                {
                    instruments[instrument.Name] = $"{(instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) ? "counter" : "histogram")} {instrument.Unit}";
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, measured, _) => Seen(measured));
        meters.SetMeasurementEventCallback<double>((_, _, measured, _) => Seen(measured));
        meters.Start();
        var activities = new ConcurrentDictionary<string, byte>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PoppyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                activities.TryAdd(a.OperationName, 0);
                foreach (var tag in a.TagObjects)
                {
                    tags.TryAdd(tag.Key, 0);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using (var fx = new Fixture())
        {
            fx.A.Faults.FailNext(1, transient: true, status: 503);                       // a failover, a transient error
            var service = await fx.CompleteAsync(await fx.Client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1"));
            await fx.Client.PurgeAsync(service!.ServiceId, PurgeRequest.ForUrls("/index.html"));
            await fx.Client.GetProviderServiceAsync("svc-1", "b");
            await fx.Client.ProviderLayer("c").VerifyAccessAsync();
            fx.C.Faults.FailNextAuth();
            await Assert.ThrowsAsync<CdnRequestFailedException>(() => fx.Client.GetProviderServiceAsync("svc-1", "c"));
        }

        var doc = File.ReadAllText(Path.Combine(DocSnippetsTests.Root, "docs", "telemetry.md"));
        Assert.Superset(new HashSet<string> { "poppy.failovers", "poppy.provider.call.duration", "poppy.provider.calls", "poppy.purge.items" }, instruments.Keys.ToHashSet());
        foreach (var (name, kindAndUnit) in instruments)
        {
            var kind = kindAndUnit.Split(' ')[0];
            var unit = kindAndUnit.Split(' ')[1];
            var row = doc.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{name}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/telemetry.md has no row for the instrument {name}.");
            Assert.Contains(kind, row, StringComparison.Ordinal);
            Assert.Contains($"`{unit}`", row, StringComparison.Ordinal);
        }

        Assert.Contains("poppy.provider.call", activities.Keys);
        Assert.All(activities.Keys, a => Assert.Contains($"`{a}`", doc, StringComparison.Ordinal));
        Assert.Contains("poppy.service_id", tags.Keys);
        Assert.All(tags.Keys, t => Assert.Contains($"`{t}`", doc, StringComparison.Ordinal));
        Assert.Superset(new HashSet<string> { "create", "purge", "get", "verify", "poll", "success", "transient_error", "error" }, values.Keys.ToHashSet());
        Assert.All(values.Keys, v => Assert.Contains($"`{v}`", doc, StringComparison.Ordinal));
    }
}
