using System.Net;
using System.Runtime.CompilerServices;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>
/// The conformance kit against the in-test Cloudflare fake (the run against the emulator is
/// <c>Integration/CloudflareEmulatorConformanceTests</c>), on the Business plan (the kit updates to a 120 s TTL, under Free and Pro minimums). Deployments complete when the fake marks every hostname and certificate validated.
/// </summary>
public sealed class ConformanceTests : CdnProviderConformanceTests
{
    private readonly ConditionalWeakTable<ICdnProvider, FakeCloudflare> _zones = [];
    private FakeCloudflare? _last;

    protected override int ListPageSizeHint => 5;

    protected override Task<ICdnProvider> CreateProviderAsync()
    {
        var zone = new FakeCloudflare { PageSize = 5 };
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business, zone);
        _zones.Add(h.Provider, zone);
        _last = zone;
        return Task.FromResult<ICdnProvider>(h.Provider);
    }

    protected override Task InjectTransientFailureAsync(ICdnProvider provider)
    {
        Zone(provider).NextAnswers.Enqueue(() => FakeCloudflare.Error(HttpStatusCode.ServiceUnavailable, 10001, "Service unavailable"));
        return Task.CompletedTask;
    }

    protected override Task InjectRateLimitAsync(ICdnProvider provider, TimeSpan retryAfter)
    {
        Zone(provider).NextAnswers.Enqueue(() =>
        {
            var response = FakeCloudflare.Error((HttpStatusCode)429, 971, "Please wait and consider throttling your request speed");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
            return response;
        });
        return Task.CompletedTask;
    }

    protected override Task InjectAuthFailureAsync(ICdnProvider provider)
    {
        Zone(provider).NextAnswers.Enqueue(() => FakeCloudflare.Error(HttpStatusCode.Forbidden, 10000, "Authentication error"));
        return Task.CompletedTask;
    }

    protected override async Task CompleteAsync(CdnOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _last!.ActivateAll();
        Assert.True(await operation.UpdateStatusAsync(), operation.StatusDescription);
    }

    private FakeCloudflare Zone(ICdnProvider provider) => _zones.TryGetValue(provider, out var zone) ? zone : throw new InvalidOperationException("unknown provider");
}
