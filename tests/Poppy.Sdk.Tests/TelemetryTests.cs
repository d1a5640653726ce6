using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Poppy.Sdk.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task ProviderCalls_AreCountedTracedAndLoggedWithStableEventIds()
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Debug));
        // The listener is process-wide and other test classes run in parallel: collect thread-safely, and only this
        // test's activities (children of its own root activity).
        using var root = new Activity("telemetry-test").Start();
        var activities = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Poppy.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == root.TraceId)
                {
                    activities.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var calls = new MetricCollector<long>(null, "Poppy.Sdk", "poppy.provider.calls");
        using var fx = new Fixture();
        using var client = new PoppyClient([fx.A, fx.B, fx.C], fx.Options, timeProvider: fx.Time, loggerFactory: loggerFactory);
        fx.A.Faults.FailNext(1, transient: true, status: 503);

        var op = await client.CreateServiceAsync(TestSpecs.Basic("failover"), "svc-1");
        await fx.CompleteAsync(op);

        var measurements = calls.GetMeasurementSnapshot();
        Assert.Contains(measurements, m => (string?)m.Tags["poppy.provider"] == "a" && (string?)m.Tags["poppy.operation"] == "create" && (string?)m.Tags["poppy.outcome"] == "transient_error");
        Assert.Contains(measurements, m => (string?)m.Tags["poppy.provider"] == "b" && (string?)m.Tags["poppy.outcome"] == "success");
        Assert.Contains(activities, a => a.OperationName == "poppy.provider.call" && (string?)a.GetTagItem("poppy.provider") == "a" && a.Status == ActivityStatusCode.Error);
        var logs = collector.GetSnapshot();
        Assert.Contains(logs, l => l.Id.Id == 1001 && l.Message.Contains("create on a ", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Id.Id == 1002 && l.Message.Contains("from a to b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteServiceAsync_Completes_NoStatusLogSaysTheServiceIsInProgressAgain()
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Debug));
        using var fx = new Fixture();
        using var client = new PoppyClient([fx.A, fx.B, fx.C], fx.Options, timeProvider: fx.Time, loggerFactory: loggerFactory);
        await fx.CompleteAsync(await client.CreateServiceAsync(TestSpecs.Basic(), "svc-1"));
        collector.Clear();

        await fx.CompleteAsync(await client.DeleteServiceAsync("svc-1"));

        var statuses = collector.GetSnapshot().Where(l => l.Id.Id == 1006).Select(l => l.Message).ToList();
        Assert.Equal(["Service svc-1 is now DeleteInProgress."], statuses);
        Assert.Null(await client.GetServiceAsync("svc-1"));
    }

    [Fact]
    public async Task CreateServiceAsync_SpecWithAWarning_CreatesAndLogsTheWarning()
    {
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Debug));
        using var fx = new Fixture();
        using var client = new PoppyClient([fx.A, fx.B, fx.C], fx.Options, timeProvider: fx.Time, loggerFactory: loggerFactory);
        var spec = TestSpecs.Basic() with { Origins = [TestSpecs.Basic().Origins[0] with { HostHeaderType = Models.HostHeaderType.Origin, HostHeaderValue = "ignored.example.net" }] };

        Assert.Single(client.Validate(spec).Warnings);
        var service = await fx.CompleteAsync(await client.CreateServiceAsync(spec, "svc-1"));

        Assert.Equal(ProviderStatus.Deployed, service.Status);
        var warning = Assert.Single(collector.GetSnapshot(), l => l.Id.Id == 1011);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("/origins/0/hostheadervalue", warning.Message, StringComparison.Ordinal);
    }
}
