using Poppy.Sdk.Testing;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Tests;

/// <summary>Two or three in-memory providers on a fake clock, and a client over them.</summary>
internal sealed class Fixture : IDisposable
{
    public Fixture(Action<PoppyClientOptions>? configure = null, Func<string, CdnCapabilities, CdnCapabilities>? capabilities = null, TimeSpan? deploymentDelay = null)
    {
        Time = new TimerAwareTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        InMemoryCdnProvider Make(string name) => new(new InMemoryCdnProviderOptions
        {
            Name = name,
            DeploymentDelay = deploymentDelay ?? TimeSpan.FromSeconds(30),
            TimeProvider = Time,
            Capabilities = capabilities?.Invoke(name, Default) ?? Default,
        });
        A = Make("a");
        B = Make("b");
        C = Make("c");
        Options = new PoppyClientOptions()
            .AddFlavor("mirror", FlavorMode.Mirror, "a", "b")
            .AddFlavor("failover", FlavorMode.Failover, "a", "b", "c");
        Options.CircuitBreaker.MinimumThroughput = 2;
        Options.CircuitBreaker.FailureRatio = 0.5;
        configure?.Invoke(Options);
        Client = new PoppyClient([A, B, C], Options, timeProvider: Time);
    }

    public static CdnCapabilities Default { get; } = CdnCapabilities.Everything with { AsynchronousDeployment = true };

    public TimerAwareTimeProvider Time { get; }

    public InMemoryCdnProvider A { get; }

    public InMemoryCdnProvider B { get; }

    public InMemoryCdnProvider C { get; }

    public PoppyClientOptions Options { get; }

    public PoppyClient Client { get; }

    /// <summary>Polls an operation to completion, advancing the fake clock between polls (no real waiting).</summary>
    public async Task<T> CompleteAsync<T>(CdnOperation<T> operation, int maxPolls = 100)
    {
        for (var i = 0; i < maxPolls; i++)
        {
            if (await operation.UpdateStatusAsync())
            {
                return operation.Value;
            }

            Time.Advance(operation.SuggestedPollingDelay ?? TimeSpan.FromSeconds(5));
        }

        throw new Xunit.Sdk.XunitException($"Operation {operation.Id} did not complete after {maxPolls} polls.");
    }

    public void Dispose() => Client.Dispose();
}
