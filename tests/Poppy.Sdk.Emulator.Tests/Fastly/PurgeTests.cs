using System.Net.Http.Json;
using System.Net;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>Purges by URL, key, bulk keys and all, soft and hard; the 256-key limit.</summary>
public sealed class PurgeTests : FastlyTestBase
{
    [Fact]
    public async Task Purges_UrlKeyBulkAllAndSoft_AreRecorded()
    {
        var id = await CreateDeployableServiceAsync();

        await SendAsync(HttpMethod.Post, "purge/www.example.com/a.png");
        await SendAsync(HttpMethod.Post, $"service/{id}/purge/product-1");
        var bulk = await SendAsync(HttpMethod.Post, $"service/{id}/purge", JsonContent.Create(new { surrogate_keys = new[] { "k1", "k2" } }));
        using var soft = new HttpRequestMessage(HttpMethod.Post, $"service/{id}/purge_all");
        soft.Headers.Add("Fastly-Soft-Purge", "1");
        using var softResponse = await Http.SendAsync(soft);

        Assert.Equal(["k1", "k2"], bulk.AsObject().Select(p => p.Key));
        var purges = Emulator.Fastly.Purges;
        Assert.Equal(["url", "key", "key", "key", "all"], purges.Select(p => p.Kind));
        Assert.Equal("www.example.com/a.png", purges[0].Target);
        Assert.True(purges[^1].Soft);
        Assert.False(purges[0].Soft);
    }

    [Fact]
    public async Task BulkPurge_MoreThan256Keys_Is400()
    {
        var id = await CreateDeployableServiceAsync();

        var body = await SendAsync(HttpMethod.Post, $"service/{id}/purge", JsonContent.Create(new { surrogate_keys = Enumerable.Range(0, 257).Select(i => $"k{i}").ToArray() }), HttpStatusCode.BadRequest);

        Assert.Contains("256", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(Emulator.Fastly.Purges);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("")]
    public async Task Purge_SoftPurgeHeaderWithAnyValue_IsSoft(string value)
    {
        var id = await CreateDeployableServiceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"service/{id}/purge/product-1");
        request.Headers.TryAddWithoutValidation("Fastly-Soft-Purge", value);

        using var response = await Http.SendAsync(request);
        await SendAsync(HttpMethod.Post, $"service/{id}/purge/product-2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([true, false], Emulator.Fastly.Purges.Select(p => p.Soft));
    }

    [Fact]
    public async Task PurgeAll_CountsAgainstTheHourlyBudget_WithRateLimitHeaders()
    {
        var id = await CreateDeployableServiceAsync(); // three writes: 47 left of 50

        using var byKey = await Http.PostAsync($"service/{id}/purge/product-1", null);
        using var all = await Http.PostAsync($"service/{id}/purge_all", null);

        Assert.False(byKey.Headers.Contains("Fastly-RateLimit-Remaining"));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("46", all.Headers.GetValues("Fastly-RateLimit-Remaining").Single());
        Assert.True(all.Headers.Contains("Fastly-RateLimit-Reset"));
    }

    [Fact]
    public async Task PurgeAll_PastTheHourlyBudget_Is429()
    {
        var id = await CreateDeployableServiceAsync();
        for (var i = 0; i < 47; i++)
        {
            (await Http.PostAsync($"service/{id}/purge_all", null)).Dispose();
        }

        using var limited = await Http.PostAsync($"service/{id}/purge_all", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("Fastly-RateLimit-Remaining").Single());
        Assert.Equal(47, Emulator.Fastly.Purges.Count);
    }
}
