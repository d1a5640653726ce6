using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Poppy.Sdk.TestSupport;

/// <summary>
/// A vendor provider's named <see cref="HttpClient"/> as DI builds it (write budget, resilience and auth handlers), with a
/// vendor that answers 200 and counts what reached it, and optionally a rate budget store that grants every token and
/// remembers the budgets asked for: what each vendor's write-budget tests need (ADR 0012).
/// </summary>
internal sealed class WriteBudgetProbe : IDisposable
{
    private WriteBudgetProbe(ServiceProvider services, HttpClient client, CountingHandler vendor, RecordingStore? store)
    {
        Services = services;
        Client = client;
        Vendor = vendor;
        Store = store;
    }

    public ServiceProvider Services { get; }

    public HttpClient Client { get; }

    public CountingHandler Vendor { get; }

    public RecordingStore? Store { get; }

    /// <summary>Registers one provider with <paramref name="add"/> (which returns its builder) and builds the container.</summary>
    public static WriteBudgetProbe Build(Func<IPoppyBuilder, IPoppyProviderBuilder> add, bool recordTokens = true, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        var store = recordTokens ? new RecordingStore() : null;
        if (store is not null)
        {
            services.AddSingleton<IRateBudgetStore>(store);
        }

        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var vendor = new CountingHandler();
        var builder = add(new Builder(services));
        services.AddHttpClient(builder.HttpClientName!).ConfigurePrimaryHttpMessageHandler(() => vendor);
        var sp = services.BuildServiceProvider();
        return new WriteBudgetProbe(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(builder.HttpClientName!), vendor, store);
    }

    /// <summary>Sends one request and answers how many tokens it took.</summary>
    public async Task<int> TokensTakenByAsync(HttpMethod method, string uri)
    {
        var before = Store!.Count;
        var reached = Vendor.Count;
        using var response = await Client.SendAsync(new HttpRequestMessage(method, uri));
        if (response.StatusCode != HttpStatusCode.OK || Vendor.Count != reached + 1)
        {
            throw new InvalidOperationException($"{method} {uri} did not reach the vendor once ({response.StatusCode}).");
        }

        return Store.Count - before;
    }

    public void Dispose()
    {
        Client.Dispose();
        Services.Dispose();
    }

    private sealed class Builder(IServiceCollection services) : IPoppyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    /// <summary>Grants every token and remembers the budgets asked for.</summary>
    internal sealed class RecordingStore : IRateBudgetStore
    {
        private readonly List<RateBudget> _taken = [];

        public int Count
        {
            get
            {
                lock (_taken)
                {
                    return _taken.Count;
                }
            }
        }

        public IReadOnlyList<RateBudget> Taken
        {
            get
            {
                lock (_taken)
                {
                    return [.. _taken];
                }
            }
        }

        public ValueTask<RateBudgetDecision> TryAcquireAsync(RateBudget budget, int tokens = 1, CancellationToken cancellationToken = default)
        {
            lock (_taken)
            {
                _taken.Add(budget);
            }

            return ValueTask.FromResult(RateBudgetDecision.Granted);
        }
    }

    /// <summary>The vendor: answers 200 with an empty JSON object and counts the requests that reached it.</summary>
    internal sealed class CountingHandler : HttpMessageHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }
}
