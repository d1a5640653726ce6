using Microsoft.Extensions.DependencyInjection;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.CloudFront.Tests;

/// <summary>
/// CloudFront's write budget (ADR 0012): AWS publishes no control-plane rate, so nothing is paced by default; with
/// <see cref="CloudFrontCdnProviderOptions.WriteRequestsPerSecond"/> set, every non-GET request takes a token.
/// </summary>
public sealed class WriteBudgetTests
{
    private const string Api = "https://cloudfront.amazonaws.com/2020-05-31/";

    private static WriteBudgetProbe Probe(Action<CloudFrontCdnProviderOptions>? configure = null) =>
        WriteBudgetProbe.Build(b => b.AddCloudFront(configure: o =>
        {
            (o.AccessKeyId, o.SecretAccessKey) = ("AKID", "secret");
            configure?.Invoke(o);
        }));

    [Fact]
    public async Task ByDefault_NothingIsPaced()
    {
        using var probe = Probe();

        Assert.Equal(0, await probe.TokensTakenByAsync(HttpMethod.Post, Api + "distribution"));
        Assert.Null(probe.Services.GetRequiredKeyedService<ICdnProvider>("cloudfront").Capabilities.WriteRateLimit);
    }

    [Theory]
    [InlineData("GET", "distribution/E1/config", 0)]
    [InlineData("HEAD", "distribution/E1", 0)]
    [InlineData("POST", "distribution", 1)]
    [InlineData("PUT", "distribution/E1/config", 1)]
    [InlineData("DELETE", "distribution/E1", 1)]
    [InlineData("POST", "distribution/E1/invalidation", 1)]
    public async Task WriteRequestsPerSecond_TakesATokenForEveryWrite(string method, string path, int tokens)
    {
        using var probe = Probe(o => (o.WriteRequestsPerSecond, o.WriteBurst) = (2, 5));

        Assert.Equal(tokens, await probe.TokensTakenByAsync(new HttpMethod(method), Api + path));
        Assert.All(probe.Store!.Taken, b => Assert.Equal(new RateBudget("cloudfront:write", 5, 2, TimeSpan.FromSeconds(1)), b));
        Assert.Equal(new WriteRateLimit(2, TimeSpan.FromSeconds(1), 5), probe.Services.GetRequiredKeyedService<ICdnProvider>("cloudfront").Capabilities.WriteRateLimit);
    }

    [Fact]
    public void NegativeValues_FailValidation()
    {
        var options = new CloudFrontCdnProviderOptions { AccessKeyId = "AKID", SecretAccessKey = "secret", WriteRequestsPerSecond = -1 };

        Assert.Contains(options.Validate(), p => p.Contains("WriteRequestsPerSecond", StringComparison.Ordinal));
    }
}
