using System.Collections.Concurrent;
using System.Diagnostics;

namespace Poppy.Sdk.Tests;

/// <summary>Every path to a provider passes its resilience and telemetry layer: calls, polls, resumes and listings.</summary>
public sealed class ResilienceLayerTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener;

    public ResilienceLayerTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Poppy.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task PollResumeAndRebuild_CircuitOpen_FailFastWithTypedErrorsAndAreTraced()
    {
        using var f = new Fixture();
        var create = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-breaker");
        Assert.False(create.HasCompleted);
        var operationId = (await f.Client.GetServiceAsync("svc-breaker"))!.Providers.Single(p => p.Provider == "a").OperationId!;
        await OpenCircuitAsync(f, "a");
        var listsBefore = f.A.CallCount("list");

        // A poll of a's deployment is refused by the open circuit: traced, and not counted as a failed deployment.
        Assert.False(await create.UpdateStatusAsync());
        Assert.Contains(Traced("a", "poll", "svc-breaker"), a => (string?)a.GetTagItem("poppy.outcome") == "circuit_open");
        Assert.Contains("a: started", create.StatusDescription, StringComparison.Ordinal);

        // Resuming an operation on a goes through the same circuit.
        var resume = await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.ResumeOperationAsync(create.Id));
        Assert.Equal((CdnErrorCode.ServiceUnavailable, true, "a"), (resume.ErrorCode, resume.IsTransient, resume.Provider));
        Assert.Equal(0, f.A.CallCount("resume"));
        Assert.Contains(Traced("a", "resume"), a => (string?)a.GetTagItem("poppy.outcome") == "circuit_open");

        // Rebuilding the catalog lists a through its circuit too: a is reported, b still listed.
        var rebuild = await f.Client.RebuildCatalogAsync();
        var failure = Assert.Single(rebuild.Failures);
        Assert.Equal("a", failure.Provider);
        Assert.Equal(CdnErrorCode.ServiceUnavailable, Assert.IsType<CdnRequestFailedException>(failure.Exception).ErrorCode);
        Assert.Equal(listsBefore, f.A.CallCount("list"));
        Assert.Contains(Traced("a", "list"), a => (string?)a.GetTagItem("poppy.outcome") == "circuit_open");
        Assert.Contains(Traced("b", "list"), a => (string?)a.GetTagItem("poppy.outcome") == "success");

        // Once the break is over, the next poll is let through and the deployment completes where it was.
        f.Time.Advance(f.Options.CircuitBreaker.BreakDuration);
        var service = await f.CompleteAsync(create);
        Assert.Equal(ProviderStatus.Deployed, service.Status);
        Assert.Contains(Traced("a", "poll", "svc-breaker"), a => (string?)a.GetTagItem("poppy.outcome") == "success");
        Assert.StartsWith("a:", operationId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResumedOperation_PollsPassTheLayer()
    {
        using var f = new Fixture();
        var create = await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-resumed");

        var resumed = await f.Client.ResumeOperationAsync(create.Id);
        await f.CompleteAsync(Assert.IsType<ServiceOperation>(resumed));

        Assert.Contains(Traced("a", "resume"), a => (string?)a.GetTagItem("poppy.outcome") == "success");
        Assert.Contains(Traced("b", "poll", "svc-resumed"), a => (string?)a.GetTagItem("poppy.outcome") == "success");
    }

    [Fact]
    public async Task ProviderCall_CircuitOpen_ThrowsTheVocabularyNotPolly()
    {
        using var f = new Fixture();
        await f.CompleteAsync(await f.Client.CreateServiceAsync(TestSpecs.Basic(), "svc-vocabulary"));
        await OpenCircuitAsync(f, "a");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.GetProviderServiceAsync("svc-vocabulary", "a"));

        Assert.Equal(CdnErrorCode.ServiceUnavailable, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.True(ProviderError.FromException(error).IsTransient);
    }

    private static async Task OpenCircuitAsync(Fixture f, string provider)
    {
        // Transient failures until the failure ratio over the sampling window breaks the circuit (a bounded, deterministic loop).
        var p = provider == "a" ? f.A : f.B;
        p.Faults.FailNext(20, transient: true, status: 503, operation: "get");
        for (var i = 0; i < 20 && !f.Client.IsCircuitOpen(provider); i++)
        {
            await Assert.ThrowsAsync<CdnRequestFailedException>(() => f.Client.GetProviderServiceAsync("svc-any", provider));
        }

        p.Faults.Clear();
        Assert.True(f.Client.IsCircuitOpen(provider));
    }

    /// <summary>Activities of one provider and operation (the listener hears every test: filter by service where the call has one).</summary>
    private List<Activity> Traced(string provider, string operation, string? service = null) =>
        _activities.Where(a => a.OperationName == "poppy.provider.call" && (string?)a.GetTagItem("poppy.provider") == provider && (string?)a.GetTagItem("poppy.operation") == operation
            && (service is null || ((string?)a.GetTagItem("poppy.service_id"))?.Contains(service, StringComparison.Ordinal) == true)).ToList();
}
